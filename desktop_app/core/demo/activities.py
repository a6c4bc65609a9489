"""The demo's activities, photos, goods and charity spaces: what seed 004's "项目效果" describes at
青花镇立信社区 and 八台镇天池村, entered through the same operations a user runs.

Photos are drawn (no real or copyrighted pictures): a scene with a red banner carrying the seed's
caption, so every gallery, strip and notice has something recognisable to show.
"""

import random
from datetime import date
from decimal import Decimal
from pathlib import Path

from desktop_app.core.services import activities, goods, spaces
from desktop_app.core.services import photos as photo_service
from desktop_app.core.services.activities import ActivityInput
from desktop_app.core.services.goods import GoodsIssueInput, GoodsReceiptInput
from desktop_app.core.services.spaces import HaveInput, MilestoneInput, SpaceInput
from desktop_app.core.typefaces import BODY

D = Decimal

# (sky, ground, accent) per kind of scene
_PALETTES = {
    "meeting": ((236, 240, 245), (200, 170, 130), (70, 90, 140)),
    "outdoor": ((150, 200, 240), (110, 160, 90), (200, 60, 50)),
    "stage": ((40, 40, 70), (90, 60, 50), (230, 180, 60)),
    "space": ((170, 210, 240), (160, 160, 150), (40, 120, 180)),
    "print": ((245, 240, 228), (180, 150, 120), (120, 40, 40)),
}


SEED_PHOTO_ORDER = ("青花试点工作讨论会", "复刊青花钢铁报", "青花系列慈善活动", "青花前期调研", "青花慈善阵地",
                    "八台需求调研", "八台慈善音乐会", "八台系列慈善活动", "八台镇项目启动仪式")


def draw_photo(folder: Path, name: str, caption: str, scene: str, seed: int) -> Path:
    """A 1600×1200 drawn 'photo': sky, ground, a banner with the caption, and a crowd or a building."""
    from PIL import Image, ImageDraw, ImageFont

    rng = random.Random(seed)
    sky, ground, accent = _PALETTES[scene]
    width, height = 1600, 1200
    image = Image.new("RGB", (width, height), sky)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, int(height * 0.62), width, height), fill=ground)
    if scene == "space":  # a container station: two boxes with windows
        for x0, colour in ((260, accent), (820, (220, 120, 40))):
            draw.rectangle((x0, 430, x0 + 520, 760), fill=colour, outline=(30, 30, 30), width=6)
            for wx in range(x0 + 50, x0 + 470, 140):
                draw.rectangle((wx, 500, wx + 90, 600), fill=(230, 240, 250), outline=(30, 30, 30), width=4)
    elif scene == "print":  # a newspaper on a table
        draw.rectangle((380, 300, 1220, 1000), fill=(252, 252, 248), outline=(60, 60, 60), width=4)
        for y in range(470, 960, 46):
            draw.line((430, y, 1170, y), fill=(150, 150, 150), width=8)
    else:  # people in rows
        for row in range(3):
            for _ in range(9):
                x = rng.randint(80, width - 80)
                y = 760 + row * 120 + rng.randint(-20, 20)
                shirt = tuple(rng.randint(60, 230) for _ in range(3))
                draw.ellipse((x - 30, y - 120, x + 30, y - 60), fill=(240, 200, 170))
                draw.rectangle((x - 45, y - 60, x + 45, y + 60), fill=shirt)
        if scene == "stage":
            for i in range(6):
                draw.polygon([(200 + i * 240, 0), (140 + i * 240, 640), (260 + i * 240, 640)],
                             fill=(70 + i * 10, 70, 110))
    try:  # the body face: the CJK fallback face has no Latin digits and draws them as boxes
        font = ImageFont.truetype(str(BODY.path), 64)
    except OSError:
        font = ImageFont.load_default()
    draw.rectangle((120, 90, width - 120, 250), fill=(200, 30, 30))
    text_width = draw.textlength(caption, font=font)
    draw.text(((width - text_width) / 2, 130), caption, fill=(255, 236, 150), font=font)
    draw.text((40, height - 60), "演示图片（绘制，非真实照片）", fill=(255, 255, 255), font=ImageFont.truetype(str(BODY.path), 28))
    path = folder / f"{name}.jpg"
    image.save(path, "JPEG", quality=85)
    return path


def add_demo_activities(ws, root: Path, project, sites: dict, funds: dict, expenses: dict) -> None:
    """`sites` by name, `funds` by short key (qinghua, batai), `expenses` by summary → posted or draft entry."""
    folder = root / "demo-photos"
    folder.mkdir(exist_ok=True)
    qinghua, batai = sites["青花镇立信社区"], sites["八台镇天池村"]
    counter = iter(range(1000))

    def costs(*summaries: str) -> list[str]:
        return [expenses[s].id for s in summaries]

    def add(site, kind, title, start, end=None, *, photos=(), public=False, space=None, **extra):
        activity = activities.add_activity(ws, ActivityInput(
            project_id=project.id, site_id=site.id if site else None, activity_type=kind, title=title,
            start_date=start, end_date=end, public=public, space_id=space.id if space else None, **extra))
        if photos:
            pending_photos[photos[0][0]] = (activity, start, photos)
        return activity

    pending_photos: dict[str, tuple] = {}  # first caption → (activity, date, photos), added in the seed's order

    def add_photos_in_seed_order() -> None:
        """The project gallery (and so the notice) shows photos in the order they were added; seed 004
        prints its nine captioned photos in this order, which is not the order of the items."""
        for first_caption in SEED_PHOTO_ORDER:
            activity, start, photos = pending_photos.pop(first_caption)
            files, captions = [], {}
            for caption, scene in photos:
                path = draw_photo(folder, f"{start:%Y%m%d}-{next(counter):02d}", caption, scene,
                                  seed=len(files) + start.toordinal())
                files.append(path)
                captions[path.name] = caption
            result = photo_service.add_photos(ws, files, activity_id=activity.id, captions=captions, strict=True)
            photo_service.update_photo(ws, result.added[0].id, in_notice=True)  # the seed's captioned photo

    ai_qinghua = spaces.add_space(ws, SpaceInput(
        name="“Ai青花”慈善服务阵地", project_id=project.id, site_id=qinghua.id, kind="集装箱慈善服务站",
        address="四川省万源市青花镇立信社区闲置场地", opened_on=date(2024, 10, 15),
        note="全市首个以“集装箱”为载体的慈善服务示范点，集慈善帮扶、公益服务、社会工作、志愿服务于一体。",
        milestones=[MilestoneInput(date(2024, 5, 16), 20, "集装箱采购到位"),
                    MilestoneInput(date(2024, 9, 14), 70, "改造装修"),
                    MilestoneInput(date(2024, 10, 9), 100, "桌椅及服务设备到位，建成")]))
    tianchi = spaces.add_space(ws, SpaceInput(
        name="八台镇天池村慈善阵地", project_id=project.id, site_id=batai.id, kind="村(社区)活动室改造",
        address="四川省万源市八台镇天池村", note="受场地条件影响分时段施工，施工全部结束还需十余天。",
        milestones=[MilestoneInput(date(2024, 6, 25), 10, "方案设计、施工单位选择"),
                    MilestoneInput(date(2024, 11, 2), 50, "装修施工首期"),
                    MilestoneInput(date(2024, 11, 8), 70, "装修装饰施工完成70%")]))

    # 青花镇立信社区 (seed 004: （一）…（四）)
    meetings = add(qinghua, "工作会议", "青花试点工作讨论会（试点专题工作会议5次）", date(2024, 3, 28), date(2024, 10, 15),
                   public=True, place="青花镇人民政府会议室", organisers="青花镇人民政府、立信社区党委",
                   participants=86, expense_ids=costs("青花试点工作讨论会会务费"),
                   photos=[("青花试点工作讨论会", "meeting"), ("试点工作组专题会议", "meeting")],
                   summary="党委政府高度重视，积极探索慈善工作思路。为切实做好2024年慈善事业高质量发展试点工作，政府分管"
                           "领导、立信社区党委书记、业务人员先后参加考察学习、理论培训、专题会议，成立了由政府主要领导为"
                           "组长，分管领导为副组长，政府工作人员、社工岗人员、社区工作人员为成员的慈善社区创建试点工作组，"
                           "组织召开试点专题工作会议5次，探索梳理青花镇慈善发展方向。")
    survey = add(qinghua, "需求调研", "青花前期调研：居民需求问卷", date(2024, 4, 22), date(2024, 5, 10), public=True,
                 place="立信社区入户走访、网络征集", organisers="万源市慈善会、青花镇民政办、立信社工站", participants=250,
                 volunteers=12, volunteer_hours="96", beneficiaries={"社区居民": 250},
                 expense_ids=costs("需求调查问卷印制及入户走访交通"), photos=[("青花前期调研", "outdoor"), ("入户走访发放问卷", "outdoor")],
                 summary="多方联合行动，迅速摸准居民需求。依托“市慈善会”主体，积极组织镇民政工作人员、联系社区工作人员"
                         "以及立信社工人员，向辖区居民发放社会需求调查问卷，全力摸清辖区内机关、企事业单位、本辖区人口"
                         "组成结构等基本情况。通过入户走访、网络征集，共收集250份有效调查问卷，明确了以“亲子教育、养老"
                         "服务、就业、环境卫生”等四个方面作为今后社区基层治理、居民服务的发展方向。")
    add(qinghua, "宣传", "“钢铁记忆”图文影像整理与复刊青花钢铁报", date(2024, 7, 12), date(2024, 8, 26), public=True,
        partners="四川文理学院大学生“三下乡”社会实践团", participants=40, volunteers=15, volunteer_hours="120",
        beneficiaries={"老年人": 25}, expense_ids=costs("“三下乡”钢铁记忆图文影像资料整理", "复刊青花钢铁报印刷"),
        photos=[("复刊青花钢铁报", "print")],
        summary="以青花特色为基调，打造“慈善社区”名片。依托四川文理学院组织的大学生“三下乡”社会实践活动，大力收集"
                "整理小镇工业历史图文影像资料，丰富“青花特色”，完善慈善阵地内涵。以“工业遗风”为出发点和着力点，邀请"
                "原青花钢铁总厂老领导、老职工讲述小镇曾经的历史荣光，打造“钢铁记忆”，提炼“钢铁文化”，并复刊了青花"
                "钢铁报。")
    building = add(qinghua, "阵地建设", "“Ai青花”慈善服务阵地建设", date(2024, 5, 16), date(2024, 10, 9), public=True,
                   space=ai_qinghua, place="青花镇立信社区", organisers="立信社区、立信社工站",
                   expense_ids=costs("“Ai青花”慈善服务阵地集装箱采购", "集装箱阵地改造装修", "阵地桌椅及服务设备购置"),
                   photos=[("青花慈善阵地", "space"), ("“Ai青花”阵地建成", "space")],
                   summary="利用青花镇闲置场地空间，运用社会工作专业方法，整合辖区内外慈善资源，引导辖区居民共商共建集"
                           "慈善帮扶、公益服务、社会工作、志愿服务等于一体的全市首个以“集装箱”为载体的慈善服务示范点"
                           "青花慈善服务阵地——“Ai青花”慈善服务阵地。")
    series = add(qinghua, "慈善服务", "青花系列慈善活动", date(2024, 11, 16), place="“Ai青花”慈善服务阵地",
                 space=ai_qinghua, participants=120, volunteers=18, volunteer_hours="72",
                 beneficiaries={"老年人": 50, "儿童": 40, "困境儿童青少年": 8}, expense_ids=costs("青花系列慈善活动物料"),
                 photos=[("青花系列慈善活动", "outdoor")], summary="在新建阵地开展助老、关爱儿童系列慈善服务。")

    # 八台镇天池村 (seed 004: （一）…（六）)
    launch = add(batai, "慈善活动/募捐活动", "八台镇天池村慈善助力文旅融合试点项目启动仪式", date(2024, 5, 18), public=True,
                 place="天池村慈善试点阵地（拟建）现场", organisers="八台社区社会组织联合会", participants=80,
                 expense_ids=costs("八台镇项目启动仪式现场会", "调查问卷及宣传手册印制"),
                 photos=[("八台镇项目启动仪式", "outdoor")],
                 summary="旨在依托试点项目积极培育八台慈善服务组织、构建慈善服务阵地，聚焦多元共创，强化尚善牵引，着力"
                         "为产业兴旺、生态宜居、乡风文明、治理有效、生活富裕的乡村振兴总目标服务献策。组织村民代表以及"
                         "联合会成员在即将建设的慈善试点阵地召开现场会，讨论试点阵地设计建设等相关事宜，并征求即将制定"
                         "的八台镇尚善公约修改意见，现场发放调查问卷和宣传手册各40份，村民代表代为向各村社发放问卷200"
                         "份、慈善试点项目宣传手册200份，形成修改意见，进一步完善即将出台的尚善公约。")
    add(batai, "需求调研", "八台需求调研：村社问卷发放", date(2024, 5, 20), date(2024, 6, 15),
        organisers="八台社区社会组织联合会", participants=200, volunteers=10, volunteer_hours="40",
        beneficiaries={"社区居民": 200}, photos=[("八台需求调研", "outdoor")],
        summary="村民代表代为向各村社发放问卷200份、慈善试点项目宣传手册200份，进一步完善尚善公约。")
    add(batai, "阵地建设", "新建慈善阵地（装修装饰施工完成70%）", date(2024, 6, 25), date(2024, 11, 8), public=True,
        space=tianchi, expense_ids=costs("慈善阵地方案设计", "慈善阵地装修施工首期款（完成70%）", "慈善阵地装修材料"),
        summary="按程序完成了方案设计、施工单位选择，受场地客观条件影响，只能选择分时段施工，目前装修装饰施工已完成"
                "70%，质量安全全程有效监督，施工全部结束还需十余天时间。")
    concert = add(batai, "慈善活动/募捐活动", "八台慈善音乐会（“尚善红城·爱聚万源”）", date(2024, 12, 27), public=True,
                  place="八台镇大巴山国家地质公园广场", organisers="万源市八台社区社会组织联合会、万源市慈善会",
                  partners="四川省民政厅、四川省交通厅、四川省工行等6支省直单位定点帮扶万源工作队，部分爱心单位，八台镇党委政府",
                  participants=150, volunteers=25, volunteer_hours="125", beneficiaries={"社区居民": 150},
                  expense_ids=costs("“尚善红城·爱聚万源”迎新慈善音乐会舞台音响租赁", "迎新慈善音乐会演出服务及物料"),
                  photos=[("八台慈善音乐会", "stage"), ("音乐会现场", "stage")],
                  summary="12月27日，一场以“尚善红城·爱聚万源”为主题的迎新慈善音乐会活动在四川省万源市八台镇大巴山国家"
                          "地质公园广场圆满举行。此次活动由万源市八台社区社会组织联合会及万源市慈善会共同组织，四川省"
                          "民政厅、四川省交通厅、四川省工行等6支省直单位定点帮扶万源工作队联合部分爱心单位及万源市八台镇"
                          "党委政府共同参与，旨在共话党建引领帮扶工作共同体初心，共谋慈善事业助力乡村振兴发展路径。活动"
                          "共吸引了150余名来自帮扶工作队、爱心单位、村党委支部及村民代表参与。")
    add(batai, "工作会议", "设立社区基金（八台镇尚善社区基金）", date(2024, 4, 2), public=True, organisers="万源市慈善会",
        summary="依托万源市慈善会，根据慈善会相关要求，设立社区发展基金1支，以慈善为杠杆激活社区内生动力，在欠发达"
                "县域探索一条“资源自筹、服务自给、发展自主”的可持续路径。其成功经验可为万源市其他乡镇提供复制样本，"
                "最终推动县域慈善从“输血式帮扶”转向“造血式共富”。")
    add(batai, "培训", "社区赋能培训（社区骨干、志愿者、社区社会组织）", date(2024, 11, 20), public=True,
        place="天池村村委会", organisers="达州市社会工作服务中心", participants=45, beneficiaries={"社区居民": 45},
        expense_ids=costs("社区赋能培训（社区骨干、志愿者）", "培训资料印制（更正后重新入账）"),
        summary="根据八台镇天池坝村具体情况，着力提升基层对社区治理、社区慈善等相关内容认知水平，加强社区骨干力量"
                "专业服务能力，为社区骨干、社区志愿者、社区社会组织等开展相关社区赋能培训。")
    fair = add(batai, "慈善服务", "新春趣味游园会和便民爱心市集", date(2025, 1, 18), public=True, space=tianchi,
               place="天池村现有服务阵地", organisers="八台社区社会组织联合会", participants=320, volunteers=20,
               volunteer_hours="80", beneficiaries={"老年人": 120, "儿童": 100, "困境儿童青少年": 12, "妇女": 60, "残疾人": 8},
               photos=[("八台系列慈善活动", "outdoor"), ("便民爱心市集义诊", "outdoor"),
                       ("游园会发放新春礼品", "outdoor")],
               summary="依托社区现有服务阵地，针对社区多元主体的服务需求，如困境儿童青少年、妇女、老人、残疾人等开展"
                       "专场慈善服务。例如设置了新春趣味游园会和便民爱心市集。市集区域提供有义诊、写春联等便民服务供"
                       "村民选择。大家在紧张的氛围中玩得不亦乐乎，据活动工作人员统计，当天共计发放出200余份礼品；同时，"
                       "还随机派发出100多份儿童小玩具，充分照顾一老一小群体不便运动游戏又想互动社交的情绪。")

    add_photos_in_seed_order()

    # 物资台账: the fair's gifts and toys (bought), rice and school bags (donated)
    def receive(fund, day, item, unit, quantity, **extra):
        goods.receive_goods(ws, GoodsReceiptInput(fund_id=fund.id, movement_date=day, item=item, unit=unit,
                                                  quantity=D(quantity), **extra))

    def issue(fund, day, item, unit, quantity, activity, group, recipients):
        goods.issue_goods(ws, GoodsIssueInput(fund_id=fund.id, movement_date=day, item=item, unit=unit,
                                              quantity=D(quantity), activity_id=activity.id, beneficiary_group=group,
                                              recipients=recipients))

    receive(funds["batai"], date(2025, 1, 16), "新春礼品", "份", "210", source="购买", valuation="公允价值", value=D("9600"),
            entry_id=expenses["新春趣味游园会礼品（200余份）"].id, note="游园会礼品，按采购价计")
    receive(funds["batai"], date(2025, 1, 16), "儿童小玩具", "个", "120", source="购买", valuation="公允价值", value=D("1500"),
            entry_id=expenses["游园会儿童小玩具（100余份）"].id)
    receive(funds["batai"], date(2025, 1, 10), "大米（10千克装）", "袋", "50", donor_name="万源市巴山商贸有限公司",
            donor_kind="企业", publish_consent=True, valuation="捐赠方凭据", value=D("2500"))
    receive(funds["qinghua"], date(2024, 11, 10), "书包文具套装", "套", "40", donor_name="刘建国", donor_kind="个人",
            valuation="未估值", note="捐赠人未提供价格凭据")
    issue(funds["batai"], date(2025, 1, 18), "新春礼品", "份", "200", fair, "社区居民", 200)
    issue(funds["batai"], date(2025, 1, 18), "儿童小玩具", "个", "100", fair, "儿童", 100)
    issue(funds["batai"], date(2025, 1, 18), "大米（10千克装）", "袋", "30", fair, "老年人", 30)
    issue(funds["qinghua"], date(2024, 11, 16), "书包文具套装", "套", "32", series, "困境儿童青少年", 32)

    # the six haves, with evidence
    def have(met, note="", evidence=()):
        return HaveInput(met, note, list(evidence))

    with ws.reading() as s:
        data = spaces.space_input(s, ai_qinghua.id)
    data.haves = {
        "有人员": have(True, "立信社工站社工2名、志愿者18名"),
        "有场所": have(True, "集装箱服务站两个", [("activity", building.id)]),
        "有资金": have(True, "万源市慈善会立信社区爱青花基金", [("entry", expenses["“Ai青花”慈善服务阵地集装箱采购"].id)]),
        "有项目": have(True, "四川省慈善事业高质量发展试点工作"),
        "有活动": have(True, "", [("activity", meetings.id), ("activity", survey.id), ("activity", series.id)]),
        "有场景": have(True, "“钢铁记忆”慈善场景"),
    }
    spaces.update_space(ws, ai_qinghua.id, data)
    with ws.reading() as s:
        data = spaces.space_input(s, tianchi.id)
    data.haves = {
        "有人员": have(True, "八台社区社会组织联合会"),
        "有资金": have(True, "万源市慈善会八台镇尚善社区基金", [("entry", expenses["慈善阵地装修施工首期款（完成70%）"].id)]),
        "有项目": have(True, "慈善助力文旅融合试点项目", [("activity", launch.id)]),
        "有活动": have(True, "", [("activity", concert.id), ("activity", fair.id)]),
        "有场所": have(False, "装修完成70%，尚未投入使用"),
    }
    spaces.update_space(ws, tianchi.id, data)
