"""The two needs surveys of seed 004, keyed in as paper forms from the built-in template.

青花镇立信社区: "通过入户走访、网络征集，共收集250份有效调查问卷，明确了以“亲子教育、养老服务、就业、环境卫生”等四个方面
作为今后…的发展方向" — 262 forms keyed, 5 saved with required questions left out and 7 from households already
asked, so 250 valid. 八台镇: "村民代表代为向各村社发放问卷200份" — 186 came back, 6 of them incomplete.
The answers are drawn with a fixed seed so that both surveys put the same four needs first, in seed 004's order."""

import random
from dataclasses import replace

from sqlmodel import select

from desktop_app.core.models import Activity
from desktop_app.core.services import activities, survey_entry, surveys
from desktop_app.core.services.survey_entry import PaperForm
from desktop_app.core.surveys.template import AGE_GROUPS, NEEDS
from desktop_app.core.surveys.validity import Rules

QINGHUA_SURVEY = "青花镇立信社区居民需求调查"
BATAI_SURVEY = "八台镇天池村村民需求调查"
# how likely a household names each need of the template (in the template's order), before the cap of four
NEED_WEIGHTS = (0.64, 0.55, 0.46, 0.38, 0.20, 0.17, 0.14, 0.11, 0.05, 0.09)
QINGHUA_GROUPS = ("立信社区一组", "立信社区二组", "立信社区三组", "立信社区四组")
BATAI_VILLAGES = ("天池村", "八台村", "宝塔坝村", "柏树村", "石人村")
SUGGESTIONS = ("希望周末多办亲子活动", "老人吃饭难，希望办个助餐点", "垃圾清运再勤一点", "希望介绍一些就近的工作",
               "活动室晚上能开放就好了", "有事请联系我，电话 138 1234 5678", "感谢社工的走访")


def add_demo_surveys(ws, project_name: str, sites: dict) -> None:
    rng = random.Random(20240315)
    qinghua = surveys.create_from_template(ws, project_name, QINGHUA_SURVEY)
    surveys.set_rules(ws, qinghua.id, Rules(household_question="Q1", duplicate_minutes=0),
                      method="入户走访、网络征集：社工和志愿者逐户发放、收回纸质问卷，部分居民扫码在线填写后由社工录入。")
    site = sites["青花镇立信社区"].id
    forms = [_form(rng, n, f"LX-{n:03d}", rng.choice(QINGHUA_GROUPS), site, "2024-03") for n in range(1, 256)]
    incomplete = _leave_out_age(forms, rng, 5)
    repeated = rng.sample([n for n in range(1, 256) if n - 1 not in incomplete], 7)
    forms += [_form(rng, 255 + i, f"LX-{n:03d}", rng.choice(QINGHUA_GROUPS), site, "2024-03")
              for i, n in enumerate(repeated, start=1)]  # households asked twice: the rules exclude one form
    survey_entry.save_paper_batch(ws, qinghua.id, forms)
    _link_activity(ws, "青花前期调研：居民需求问卷", qinghua.id)

    batai = surveys.create_from_template(ws, project_name, BATAI_SURVEY)
    surveys.set_rules(ws, batai.id, Rules(household_question="Q1", duplicate_minutes=0),
                      method="现场发放：村民代表代为向各村社发放问卷200份，收回186份，由社工站录入。")
    forms = [_form(rng, n, f"BT-{n:03d}", rng.choice(BATAI_VILLAGES), sites["八台镇天池村"].id, "2024-04")
             for n in range(1, 187)]
    _leave_out_age(forms, rng, 6)
    survey_entry.save_paper_batch(ws, batai.id, forms)


def _link_activity(ws, title: str, survey_id: str) -> None:
    """The activity that carried the survey out: its notice item then states the survey's result."""
    with ws.reading() as s:
        activity = s.exec(select(Activity).where(Activity.title == title)).one()
        data = activities.activity_input(s, activity.id)
    activities.update_activity(ws, activity.id, replace(data, survey_id=survey_id))


def _form(rng: random.Random, number: int, household: str, place: str, site_id: str, month: str) -> PaperForm:
    answers: dict = {
        "Q1": {"t": household},
        "Q2": {"t": place},
        "Q3": {"n": str(rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 5, 6)))},
        "Q4": {"c": [rng.choices(range(1, len(AGE_GROUPS) + 1), weights=(30, 38, 24, 8))[0]]},
    }
    members = [code for code, p in enumerate((0.45, 0.06, 0.22, 0.35, 0.08), start=1) if rng.random() < p]
    answers["Q5"] = {"c": members or [6]}  # 6: 以上都没有
    needs = [code for code, p in enumerate(NEED_WEIGHTS, start=1) if rng.random() < p]
    rng.shuffle(needs)
    needs = sorted(needs[:4])
    answers["Q6"] = {"c": needs} if needs else {"c": [len(NEEDS) + 2]}  # 都不需要
    if 2 in needs:
        answers["Q7"] = {"c": sorted(rng.sample(range(1, 6), rng.randint(1, 2)))}
    answers["Q8"] = {"c": sorted(range(1, 5), key=lambda code: rng.random() + code * 0.3)}
    answers["Q9"] = {"c": [rng.choices((1, 2, 3), weights=(45, 40, 15))[0]]}
    answers["Q10"] = {"c": [rng.choices((1, 2, 3), weights=(35, 50, 15))[0]]}
    answers["Q11"] = {"c": [rng.choices(range(1, 6), weights=(3, 8, 30, 40, 19))[0]]}
    answers["Q12"] = {"m": {str(row): rng.choices(range(1, 6), weights=(4, 10, 30, 38, 18))[0] for row in range(1, 5)}}
    if rng.random() < 0.12:
        answers["Q13"] = {"t": rng.choice(SUGGESTIONS)}
    day = f"{month}-{rng.randint(5, 25):02d}"
    return PaperForm(form_no=f"{number:03d}", answers=answers, site_id=site_id, filled_on=day)


def _leave_out_age(forms: list[PaperForm], rng: random.Random, count: int) -> set[int]:
    """A few forms came back without the age group, a required question: saved as incomplete, as a person
    entering them would (they do not count as valid). Returns their positions."""
    chosen = set(rng.sample(range(len(forms)), count))
    for i in chosen:
        forms[i].answers.pop("Q4")
        forms[i].complete = False
    return chosen
