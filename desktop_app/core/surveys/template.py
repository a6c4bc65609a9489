"""The built-in questionnaire 社区居民需求调查, to start from.

Its needs are those of seed 004 (亲子教育、养老服务、就业、环境卫生, the four a 万源 pilot found first among 250
valid forms) and the services of seed 003 (照护、生活、关爱); the household number lets duplicates be found;
the age groups and the village give the cross-tabs a township report needs. No name, phone or address is
asked: a needs survey does not need them, and what is not asked cannot leak."""

from desktop_app.core.surveys.questionnaire import Option, Question, Questionnaire, ShowIf

TEMPLATE_NAME = "社区居民需求调查"
NEEDS = ("亲子教育", "养老服务", "就业", "环境卫生", "照护服务", "生活帮扶", "关爱服务（留守儿童、空巢老人、困境儿童）",
         "文体活动", "法律咨询", "医疗健康")
AGE_GROUPS = ("18—35岁", "36—59岁", "60—79岁", "80岁及以上")


def _options(*labels: str, other: str = "", none: str = "") -> list[Option]:
    options = [Option(code=n, label=label) for n, label in enumerate(labels, start=1)]
    if other:
        options.append(Option(code=len(options) + 1, label=other, other=True))
    if none:
        options.append(Option(code=len(options) + 1, label=none, exclusive=True))
    return options


def community_needs_template() -> Questionnaire:
    elder_care = NEEDS.index("养老服务") + 1
    satisfaction = _options("1分 很不满意", "2分", "3分 一般", "4分", "5分 很满意")
    return Questionnaire(TEMPLATE_NAME, intro="为了解居民的需求、办好社区慈善服务，请您如实填写。本问卷不记录姓名和电话，"
                                              "结果只作统计。谢谢您的支持！", questions=[
        Question("Q1", "户编号（由调查员填写）", "text", number="1"),
        Question("Q2", "您居住的村（社区）", "region", required=True, number="2"),
        Question("Q3", "家庭常住人口（人）", "number", number="3"),
        Question("Q4", "您的年龄段", "single", _options(*AGE_GROUPS), required=True, number="4"),
        Question("Q5", "您家中有以下成员吗？（可多选）", "multiple", _options(
            "60岁以上老人", "残疾人", "0—6岁儿童", "在校学生", "失业或待业人员", none="以上都没有"),
            required=True, number="5"),
        Question("Q6", "您家最需要社区提供哪些服务？（可多选，最多选4项）", "multiple",
                 _options(*NEEDS, other="其他（请注明）", none="都不需要"), required=True, max_choices=4, need=True,
                 number="6"),
        Question("Q7", "如需要养老服务，您最需要的是？（可多选）", "multiple",
                 _options("老年助餐", "上门探访", "日间照料", "助浴助洁", "健康义诊"),
                 show_if=ShowIf("Q6", [elder_care]), number="7"),
        Question("Q8", "请给下列服务按需要程度排序（最需要的排第一）", "ranking",
                 _options("亲子教育", "养老服务", "就业", "环境卫生"), number="8"),
        Question("Q9", "您愿意参加社区志愿服务吗？", "single", _options("愿意", "视时间而定", "不愿意"), number="9"),
        Question("Q10", "您愿意为社区基金捐款或捐物吗？", "single", _options("愿意", "视情况而定", "不愿意"),
                 number="10"),
        Question("Q11", "您对社区现有服务的总体满意度", "scale", satisfaction, number="11"),
        Question("Q12", "您对下列方面的满意度", "matrix", satisfaction, rows=_options(
            "活动场地", "卫生环境", "道路照明", "文体设施"), number="12"),
        Question("Q13", "您对社区慈善服务还有什么意见和建议？", "text", number="13"),
    ])
