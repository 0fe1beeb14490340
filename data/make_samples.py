"""Regenerate the sample workbooks of data/: one per report kind and format.

Run from the repository root: ``python data/make_samples.py``. Each sample is
written in the JSON form of a report (README, docs/annual-report.md §7) and turned into the
kind's workbook by the library, exactly as ``gxreport init --from`` does. The
agencies, people and figures are invented; the structure follows the seeds.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path

from gxreport.inputs.jsonform import report_from_dict
from gxreport.declare.kinds import Registry
from gxreport.inputs.workbook.writer import workbook_bytes

DATA = Path(__file__).resolve().parent

ZEROS = [0, 0, 0, 0, 0, 0, 0]

ANNUAL_2019 = {
    "kind": "annual",
    "format": "2019",
    "agency": "临川县政务服务管理办公室",
    "agency_type": "部门",
    "year": 2020,
    "date": "2021-01-25",
    "contact": "县政务服务管理办公室综合股，地址：临川县人民路18号，电话：0794-6123456",
    "sections": {
        "一": [
            {"level": 2, "title": "主动公开", "text": "2020年，我办在县政府门户网站“政府信息公开”专栏发布各类信息1268条，其中机构职能、办事指南等基础信息214条，政务服务动态596条，疫情期间办事指引和延期办理公告38条。"},
            {"level": 2, "title": "依申请公开", "text": "全年新收政府信息公开申请11件，上年结转1件，均在法定期限内答复；年末1件因需征求第三方意见结转下年度办理。"},
            {"level": 2, "title": "政府信息管理", "text": "对本单位制发的规范性文件逐件清理，确认有效文件27件并在专栏集中公布；落实信息发布前保密审查，全年未发生泄密事件。"},
            {"level": 2, "title": "平台建设", "text": "政务服务大厅设置政府信息公开查阅点1处，配备自助查询终端2台；“临川政务”微信公众号全年推送信息312条。"},
            {"level": 2, "title": "监督保障", "text": "调整政务公开工作领导小组，明确综合股具体承办；将政务公开纳入股室年度考核，全年开展自查2次。"},
        ],
        "五": "一是部分股室对主动公开范围把握不准，信息更新不够及时；二是政策解读形式较单一，图解、视频解读偏少。2021年，我办将细化主动公开目录，落实信息发布提醒制度，并增加图解和短视频解读的比例。",
        "六": "本年度无其他需要报告的事项。",
    },
    "tables": {
        "active": {
            "rules": {"made": 0, "published": 0, "total_public": 0},
            "normative_docs": {"made": 3, "published": 3, "total_public": 27},
            "licensing": {"prev_items": 412, "change": -8, "decisions": 6381},
            "other_services": {"prev_items": 96, "change": 5, "decisions": 2210},
            "penalty": {"prev_items": 0, "change": 0, "decisions": 0},
            "coercion": {"prev_items": 0, "change": 0, "decisions": 0},
            "fees": {"prev_items": 2, "change": -1},
            "procurement": {"count": 6, "amount": "386500", "unit": "元"},
        },
        "requests": {
            "new": [9, 2, 0, 0, 0, 0, None],
            "carried_in": [1, 0, 0, 0, 0, 0, None],
            "disclosed": [5, 1, 0, 0, 0, 0, None],
            "partly_disclosed": [1, 0, 0, 0, 0, 0, None],
            **{key: ZEROS for key in (
                "withheld.state_secret", "withheld.prohibited_by_law", "withheld.security_stability",
                "withheld.third_party", "withheld.internal_affairs", "withheld.process_info",
                "withheld.enforcement_file", "withheld.query_matter", "unavailable.needs_creation",
                "unavailable.unclear", "not_processed.petition", "not_processed.publication",
                "not_processed.excessive", "not_processed.confirmation",
            )},
            "unavailable.not_held": [1, 1, 0, 0, 0, 0, None],
            "not_processed.repeated": [1, 0, 0, 0, 0, 0, None],
            "other": [1, 0, 0, 0, 0, 0, None],
            "total": [None] * 7,
            "carried_out": [1, 0, 0, 0, 0, 0, None],
        },
        "reviews": {
            "review": [1, 0, 0, 0, None],
            "litigation_direct": [0, 0, 0, 0, None],
            "litigation_after_review": [0, 0, 0, 0, None],
        },
    },
}

LEGACY_2017 = {
    "kind": "annual-legacy",
    "agency": "青溪县发展和改革局",
    "year": 2017,
    "date": "2018-03-16",
    "with_preamble": True,
    "contact_office": "青溪县发展和改革局办公室",
    "contact_address": "青溪县府前街9号",
    "contact_phone": "0578-3312001",
    "website": "青溪县人民政府门户网站",
    "sections": {
        "body": [
            {"level": 1, "title": "概述", "text": "2017年，我局按照县政府关于政府信息公开工作的部署，围绕项目审批、价格管理和节能降耗等重点领域推进信息公开，公开的及时性和规范性进一步提高。"},
            {"level": 1, "title": "政府信息公开工作机构基本信息", "text": "我局政府信息公开工作由分管副局长负责，办公室承担日常工作，配备专职人员1名、兼职人员3名。"},
            {"level": 1, "title": "主动公开政府信息情况", "text": "全年主动公开政府信息156条，其中通过县政府门户网站公开142条，通过政府公报公开4条，通过公开栏等其他方式公开10条。主要指标见下表。"},
            {"level": 0, "title": "", "text": "【指标表】"},
            {"level": 1, "title": "依申请公开政府信息情况", "text": "全年收到政府信息公开申请7件，均已按期答复。其中同意公开5件，不予公开1件，信息不存在1件。"},
            {"level": 1, "title": "政府信息公开收费及减免情况", "text": "本年度未收取政府信息公开检索、复制、邮寄等费用。"},
            {"level": 1, "title": "因政府信息公开申请行政复议、提起行政诉讼的情况", "text": "本年度未发生因政府信息公开申请行政复议或提起行政诉讼的情况。"},
            {"level": 1, "title": "存在的主要问题及改进措施", "text": ""},
            {"level": 2, "title": "存在的问题", "text": "公开内容以工作动态为主，涉及项目审批结果和收费标准的信息更新不够及时。"},
            {"level": 2, "title": "改进措施", "text": "2018年，我局将建立项目审批结果定期公开制度，每季度更新一次收费标准目录，并加强对兼职人员的业务培训。"},
        ],
    },
    "indicators": [
        ["指标", "单位", "数量"],
        ["主动公开政府信息数", "条", "156"],
        ["其中：门户网站公开", "条", "142"],
        ["政府公报公开", "条", "4"],
        ["其他方式公开", "条", "10"],
        ["收到政府信息公开申请", "件", "7"],
        ["其中：同意公开", "件", "5"],
        ["不予公开", "件", "1"],
        ["信息不存在", "件", "1"],
        ["收取费用", "元", "0"],
        ["行政复议", "件", "0"],
        ["行政诉讼", "件", "0"],
    ],
}

SUMMARY = {
    "kind": "summary",
    "agency": "丰源区行政审批服务局",
    "year": 2023,
    "with_plan": True,
    "dateline": "2023-11-20",
    "opening": "根据区委办公室关于做好年度工作总结的通知要求，现将我局2023年工作情况及2024年工作思路报告如下：",
    "sections": {
        "body": [
            {"level": 1, "title": "工作开展情况", "text": ""},
            {"level": 2, "title": "审批服务提速增效。", "text": "围绕“办事不求人”目标推进窗口改革。一是完成政务大厅改造，设置综合受理窗口24个，进驻部门38个、事项812项；二是推行“受审分离”，全年受理审批服务事项31.6万件，承诺时限较法定时限压缩58%；三是镇级便民服务中心可办事项增至118项，村级站点可办事项增至40项。"},
            {"level": 2, "title": "政务服务方式不断创新。", "text": "一是开设线上“帮办直播间”，每月两期由窗口负责人解读办事政策；二是组织“政务服务进园区”活动12场，现场办结企业事项86件。"},
            {"level": 2, "title": "政务公开扎实推进。", "text": "全年在区政府门户网站发布政务信息2143条，办理依申请公开9件，均按期答复；12345热线工单办结率100%，满意率91.2%。"},
            {"level": 1, "title": "重点任务完成情况", "text": ""},
            {"level": 2, "title": "深化“放管服”改革，打造“一窗通办”服务模式", "text": "完成情况：将民生类事项整合到综合窗口，企业类事项整合到园区专区，全年为园区企业办结项目备案、施工许可等事项412件。"},
            {"level": 2, "title": "建立企业服务中心，完善帮办代办机制", "text": "完成情况：企业服务中心于6月建成运行，为27个重点项目提供全程帮办代办，对31个事项实行容缺受理。"},
            {"level": 1, "title": "2024年工作思路", "text": "2024年，我局将围绕优化营商环境目标，重点做好以下工作："},
            {"level": 3, "title": "推进事项应进必进。", "text": "对进驻不彻底的事项开展清查，年内实现依申请类事项全部进驻大厅。"},
            {"level": 3, "title": "提升园区服务能力。", "text": "做好市级赋权事项承接，确保赋权事项接得住、管得好。"},
            {"level": 3, "title": "规范基层政务公开。", "text": "编制基层政务公开标准目录，完成区政府门户网站改版升级。"},
        ],
    },
}

SELF_CHECK = {
    "kind": "self-check",
    "agency": "南岭市行政审批服务局",
    "year": 2020,
    "subject": "政务公开工作",
    "addressee": "市政府办公室",
    "notice_issuer": "市政府办公室",
    "notice_title": "关于开展2020年度政务公开工作自查的通知",
    "notice_number": "南政办函[2020]86号",
    "date": "2020-10-26",
    "sections": {
        "body": [
            {"level": 1, "title": "信息主动公开情况", "text": ""},
            {"level": 2, "title": "基础信息公开。", "text": "在市政府网站公开机构职能、办事指南、行政许可事项目录等基础信息，全年发布各类信息712条。"},
            {"level": 2, "title": "权责清单公开。", "text": "梳理公布本单位行政职权49类、102项，并同步公开对应的责任事项和监督方式。"},
            {"level": 1, "title": "政策解读与回应关切情况", "text": "建立文件与解读同步起草、同步审签、同步发布机制，全年召开新闻发布会3次，及时回应企业关心的开办时限和复工审批问题。"},
            {"level": 1, "title": "平台建设情况", "text": "在门户网站设置政务公开专栏，在政务大厅设置公开查阅区，公开行政许可流程图和办理时限，方便企业和群众查询。"},
            {"level": 1, "title": "组织保障情况", "text": ""},
            {"level": 2, "title": "加强组织领导。", "text": "成立由局长任组长的政务公开工作领导小组，办公室具体负责日常工作。"},
            {"level": 2, "title": "健全工作制度。", "text": "制定信息发布保密审查、公开属性确定和网站日常巡查等制度6项。"},
            {"level": 1, "title": "存在的主要问题及下一步工作计划", "text": "自查发现，我局在重点领域信息公开、政策解读形式等方面仍有不足。下一步将做好以下工作："},
            {"level": 3, "title": "重点领域信息公开。", "text": "按季度公开审批结果信息，推动审批过程和结果全程可查。"},
            {"level": 3, "title": "政策解读。", "text": "增加图解、短视频等解读形式，做到解读与文件相互关联。"},
            {"level": 3, "title": "平台运行。", "text": "配合做好政务服务网功能完善和数据对接，解决办事指南要素不完整的问题。"},
        ],
    },
    "attachments": [
        {"title": "2020年政务公开工作自查情况表", "text": "主动公开：发布信息712条，按期更新率100%。\n依申请公开：收到申请4件，按期答复4件。\n政策解读：发布解读材料11篇，召开新闻发布会3次。"},
    ],
}

SAMPLES = {
    "2021.xlsx": "2021.json",  # the 2021 sample is kept in its JSON form beside it
    "2019.xlsx": ANNUAL_2019,
    "2017-legacy.xlsx": LEGACY_2017,
    "summary.xlsx": SUMMARY,
    "self-check.xlsx": SELF_CHECK,
}


def main() -> int:
    registry = Registry()
    for name, data in SAMPLES.items():
        if isinstance(data, str):
            data = json.loads((DATA / data).read_text(encoding="utf-8"), parse_float=Decimal)
        report = report_from_dict(data, name, registry)
        errors = [f for f in report.findings if f.is_error]
        if errors:
            print("\n".join(map(str, errors)), file=sys.stderr)
            return 1
        (DATA / name).write_bytes(workbook_bytes(report.kind, report))
        print(f"wrote data/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
