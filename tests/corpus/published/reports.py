"""The reports of the corpus as reconstruct.py prints them (see SOURCES.toml for what
each stored copy showed). Narratives are our own wording; figures as published."""

from __future__ import annotations

# 表三 records in printed order, per format.
RESULTS_2021 = [
    "disclosed", "partly_disclosed",
    "withheld.state_secret", "withheld.prohibited_by_law", "withheld.security_stability", "withheld.third_party",
    "withheld.internal_affairs", "withheld.process_info", "withheld.enforcement_file", "withheld.query_matter",
    "unavailable.not_held", "unavailable.needs_creation", "unavailable.unclear",
    "not_processed.petition", "not_processed.repeated", "not_processed.publication", "not_processed.excessive", "not_processed.confirmation",
    "other.no_correction", "other.no_fee_payment", "other.other",
]
RESULTS_2019 = RESULTS_2021[:-3] + ["other"]
ZERO7 = ["0"] * 7
BLANK7 = [""] * 7


def requests(fmt: str, filled: dict[str, list[str]], default: list[str] = ZERO7) -> dict[str, list[str]]:
    results = RESULTS_2021 if fmt == "2021" else RESULTS_2019
    return {r: filled.get(r, default) for r in ["new", "carried_in", *results, "total", "carried_out"]}


def reviews(values: dict[str, list[str]] | None = None, default: list[str] = ["0"] * 5) -> dict[str, list[str]]:
    values = values or {}
    return {r: values.get(r, default) for r in ("review", "litigation_direct", "litigation_after_review")}


def footer(lines: list[str], links: list[str]) -> str:
    items = "".join(f'<li><a href="#">{x}</a></li>' for x in links)
    return '<div class="footer"><ul class="links">' + items + "</ul>" + "".join(f"<p>{x}</p>" for x in lines) + "</div>"


def page(title: str, top: str, article_head: str, bottom: str, charset: str = "utf-8", meta: str = "") -> str:
    return (
        f'<!DOCTYPE html>\n<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">{meta}'
        f"<title>{title}</title></head>\n<body>\n{top}\n<div class=\"main\">{article_head}\n"
        '<div class="TRS_Editor" id="zoom">\n{BODY}\n</div>\n'
        f"{bottom}</div>\n</body></html>\n"
    )


SHARE = '<div class="bdsharebuttonbox">分享到：<a href="#">微信</a><a href="#">微博</a><a href="#">QQ空间</a></div>'
PRINT_CLOSE = '<div class="tools"><a href="#">【打印本页】</a> <a href="#">【关闭窗口】</a></div>'


REPORTS: list[dict] = []

# 1 ---------------------------------------------------------------------------
REPORTS.append({
    "id": "huachuan-wsjk-2021",
    "file": "huachuan-wsjk-2021.html",
    "form": "html",
    "format": "2021",
    "title_lines": ["桦川县卫生健康局2021年政府信息公开工作年度报告"],
    "page": page(
        "桦川县卫生健康局2021年政府信息公开工作年度报告",
        '<div class="head"><a href="#">无障碍</a> <a href="#">长者模式</a></div>'
        '<ul class="nav"><li><a href="#">首页</a></li><li><a href="#">走进桦川</a></li><li><a href="#">政府信息公开</a></li><li><a href="#">政务服务</a></li><li><a href="#">政民互动</a></li></ul>'
        '<div class="position">当前位置: <a href="#">首页</a>&gt;<a href="#">政府信息公开</a>&gt;<a href="#">政府信息公开年报</a>&gt;<a href="#">2021</a></div>',
        '<h1 class="title">桦川县卫生健康局2021年政府信息公开工作年度报告</h1>'
        '<div class="info"><span>日期:2022-01-27 14:59</span> <span>来源:zwgk001</span> <span>字号:<a href="#">大</a> <a href="#">中</a> <a href="#">小</a></span></div>',
        SHARE + PRINT_CLOSE + footer(
            ["主办单位：桦川县人民政府办公室　承办单位：桦川县政务服务中心", "网站标识码：2308260001　黑ICP备12000000号-1　黑公网安备 23082602000001号"],
            ["网站地图", "联系我们", "使用帮助"],
        ),
    ),
    "style": {"cells": "p", "labels": {"商业企业": "商业\n企业", "科研机构": "科研\n机构"}},
    "printed": {
        "active": {"normative_docs.in_force": "4", "licensing.decisions": "16", "fees.amount_wan": ""},
        "requests": requests("2021", {"new": ["1", "0", "0", "0", "0", "0", "1"], "disclosed": ["1", "0", "0", "0", "0", "0", "1"], "total": ["1", "0", "0", "0", "0", "0", "1"]}),
        "reviews": reviews(),
    },
    "body": [
        "<p style=\"text-align:center\"><strong>桦川县卫生健康局2021年政府信息公开工作年度报告</strong></p>",
        "一、总体情况",
        "依照《中华人民共和国政府信息公开条例》，本局在2021年继续推进政府信息公开：修订了公开工作制度，明确了各岗位的职责、办理流程、公开方式，坚持先审查后公开，保证公开的信息真实准确，让公民、法人和其他组织依法获得政府信息。",
        "全年主动公开、咨询答复和依申请公开各项工作运转正常。",
        "二、主动公开政府信息情况",
        "[active]",
        "三、收到和处理政府信息公开申请情况",
        "[requests]",
        "四、政府信息公开行政复议、行政诉讼情况",
        "[reviews]",
        "五、存在的主要问题及改进情况",
        "公开内容还不够丰富，更新有时滞后。下一步将加强人员培训，及时更新栏目内容。",
        "六、其他需要报告的事项",
        "本年度未收取信息处理费。",
    ],
})

# 2 ---------------------------------------------------------------------------
REPORTS.append({
    "id": "faku-zrzy-2022",
    "file": "faku-zrzy-2022.html",
    "form": "html",
    "format": "2021",
    "title_lines": ["法库县自然资源局2022年政府信息公开工作年度报告"],
    "page": page(
        "法库县自然资源局2022年政府信息公开工作年度报告-法库县人民政府",
        '<div class="topbar"><span>简体版</span> <a href="#">繁體</a> <a href="#">无障碍浏览</a></div>'
        '<ul class="menu"><li>首页</li><li>政务公开</li><li>政务服务</li><li>互动交流</li><li>走进法库</li></ul>'
        '<div class="crumb">您当前的位置：<a href="#">首页</a> &gt; <a href="#">政府信息公开</a> &gt; <a href="#">政府信息公开年报</a></div>',
        '<div class="xxgk-meta"><table class="meta"><tr><td>索 引 号：</td><td>2113240000/2023-00045</td><td>发布机构：</td><td>法库县自然资源局</td></tr>'
        '<tr><td>生成日期：</td><td>2023-01-28</td><td>文　　号：</td><td></td></tr></table></div>'
        '<h2>法库县自然资源局2022年政府信息公开工作年度报告</h2>',
        SHARE + footer(["版权所有：法库县人民政府　网站标识码：2101240001", "辽ICP备05000000号　辽公网安备 21012402000001号"], ["关于我们", "网站地图", "联系我们"]),
    ),
    "style": {"cells": "span"},
    "printed": {
        "active": {"licensing.decisions": "1", "penalty.decisions": "46"},
        "requests": requests("2021", {}),
        "reviews": reviews(),
    },
    "body": [
        "本报告依照《中华人民共和国政府信息公开条例》和国办公开办函〔2021〕30号年度报告格式编写，公布法库县自然资源局2022年政府信息公开工作情况。",
        "一、总体情况",
        "（一）组织领导。局里开会部署全年政务公开工作，定出年度工作要点。",
        "（二）学习培训。组织学习《政府信息公开条例》，把各环节的职责、程序、方式和时限讲清楚。",
        "（三）政府信息管理",
        "公开前逐条审核，涉及个人信息的作去标识化处理，保密审查贯穿始终。",
        "（四）政府信息公开平台建设",
        "公开信息统一在县政府网站发布。",
        "（五）监督保障",
        "对公开工作开展检查指导，发现问题限期整改，并与有关部门协调，保证发布的信息前后一致。",
        "二、主动公开政府信息情况",
        "[active]",
        "三、收到和处理政府信息公开申请情况",
        "[requests]",
        "四、政府信息公开行政复议、行政诉讼情况",
        "[reviews]",
        "五、存在的主要问题及改进情况",
        "公开的主动性还需增强，下一年将完善栏目并按时更新。",
        "六、其他需要报告的事项",
        "无。",
    ],
})

# 3 ---------------------------------------------------------------------------
REPORTS.append({
    "id": "ningqiang-zrzy-2021",
    "file": "ningqiang-zrzy-2021.html",
    "form": "html",
    "format": "2021",
    "title_lines": ["宁强县自然资源局", "关于2021年度政府信息公开情况的报告"],
    "page": page(
        "宁强县自然资源局关于2021年度政府信息公开情况的报告",
        '<div class="nav"><a href="#">首页</a> <a href="#">走进宁强</a> <a href="#">新闻中心</a> <a href="#">政府信息公开</a> <a href="#">政务服务</a> <a href="#">互动交流</a> <a href="#">专题专栏</a></div>',
        '<div class="tit">宁强县自然资源局关于2021年度政府信息公开情况的报告</div>',
        footer(["主办：宁强县人民政府办公室　陕ICP备05000000号　网站标识码：6107260001", "陕公网安备 61072602000001号"], ["网站地图", "联系我们"]),
    ),
    "style": {"cells": "p", "labels": {"本年制发件数": "本年发件", "现行有效件数": "现行有效件"}},
    "printed": {
        "active": {"licensing.decisions": "3", "penalty.decisions": "1"},
        "requests": requests("2021", {}),
        "reviews": reviews(),
    },
    "body": [
        "<p style=\"text-align:center\"><strong>宁强县自然资源局</strong></p>",
        "<p style=\"text-align:center\"><strong>关于2021年度政府信息公开情况的报告</strong></p>",
        "本报告按照《中华人民共和国政府信息公开条例》和本县的实施意见编写，共六个部分，数据统计期为2021年1月1日至12月31日。对报告有疑问的，可联系本局办公室。",
        "一、总体情况",
        "2021年，本局按条例和省、市、县的要求，明确分管领导和经办人员，健全制度，通过网站、公示栏和媒体公开信息。",
        "二、主动公开政府信息情况",
        "全年主动公开信息66条，包括年报1条、通知公告18条、建议提案办理2条、预决算2条、行政许可事项3条、行政处罚1条，答复公众诉求9件。",
        "[active]",
        "三、收到和处理政府信息公开申请情况",
        "[requests]",
        "四、政府信息公开行政复议、行政诉讼情况",
        "[reviews]",
        "五、存在的主要问题及改进情况",
        "信息更新还不够及时，将指定专人按月检查栏目。",
        "六、其他需要报告的事项",
        "无。",
    ],
})

# 4 ---------------------------------------------------------------------------
REPORTS.append({
    "id": "hanyang-qzfb-2022",
    "file": "hanyang-qzfb-2022.html",
    "form": "html",
    "format": "2021",
    "title_lines": ["武汉市汉阳区人民政府办公室2022年政府信息公开工作年度报告"],
    "page": page(
        "武汉市汉阳区人民政府办公室2022年政府信息公开工作年度报告",
        '<div class="top"><a href="#">智能问答</a> | <a href="#">无障碍浏览</a> | <a href="#">长者专区</a></div>'
        '<div class="crumb"><a href="#">首页</a> &gt; <a href="#">部门信息公开</a> &gt; <a href="#">区人民政府办公室</a> &gt; <a href="#">政府信息公开年度报告</a></div>',
        '<h2>武汉市汉阳区人民政府办公室2022年政府信息公开工作年度报告</h2><div class="date">发布日期：2023-01-19　来源：区政府办公室</div>',
        SHARE + footer(["主办单位：武汉市汉阳区人民政府办公室", "网站标识码：4201050001　鄂ICP备05000000号　鄂公网安备 42010502000001号"], ["网站地图", "联系我们", "隐私声明"]),
    ),
    "style": {
        "cells": "p",
        "labels": {"现行有效件数": "现行有效件数 (历史累计)", "商业企业": "商业 企业", "科研机构": "科研 机构"},
    },
    "printed": {
        "active": {"rules.in_force": "", "normative_docs.made": "5", "normative_docs.repealed": "12", "normative_docs.in_force": "8"},
        "requests": requests("2021", {
            "new": ["8", "0", "0", "0", "0", "0", "8"],
            "disclosed": ["2", "0", "0", "0", "0", "0", "2"],
            "partly_disclosed": ["2", "0", "0", "0", "0", "0", "2"],
            "withheld.process_info": ["1", "0", "0", "0", "0", "0", "1"],
            "unavailable.not_held": ["2", "0", "0", "0", "0", "0", "2"],
            "other.other": ["1", "0", "0", "0", "0", "0", "1"],
            "total": ["8", "0", "0", "0", "0", "0", "8"],
        }),
        "reviews": reviews(),
    },
    "body": [
        "依照《中华人民共和国政府信息公开条例》和政府信息公开的有关要求，现将本办2022年度的政府信息公开情况报告如下：",
        "一、总体情况",
        "2022年，区政府办公室执行条例和《武汉市政府信息公开暂行规定》，依法、及时、便民地推进公开，如实公布群众关心的事项和政务信息。",
        "二、主动公开政府信息情况",
        "[active]",
        "三、收到和处理政府信息公开申请情况",
        "本年共收到8件政府信息公开申请，申请人均为自然人：予以公开2件，部分公开2件，属于四类过程性信息1件，本办不掌握相关信息2件，其他1件（申请人自行撤回）。没有结转到下一年度的申请。",
        "[requests]",
        "四、政府信息公开行政复议、行政诉讼情况",
        "[reviews]",
        "五、存在的主要问题及改进情况",
        "政策解读的形式还比较单一，明年将增加图解和问答。",
        "六、其他需要报告的事项",
        "本年度未收取信息处理费。",
    ],
})

# 5 ---------------------------------------------------------------------------
REPORTS.append({
    "id": "jianping-wsjk-2020",
    "file": "jianping-wsjk-2020.html",
    "form": "html",
    "format": "2019",
    "title_lines": ["建平县卫生健康局", "2020年度政府信息公开工作报告"],
    "page": page(
        "建平县卫生健康局2020年度政府信息公开工作报告",
        '<div class="header"><a href="#">设为首页</a> <a href="#">加入收藏</a></div>'
        '<ul class="nav"><li>首页</li><li>政务公开</li><li>政务服务</li><li>政民互动</li></ul>'
        '<div class="location">当前位置：<a href="#">首页</a> &gt; <a href="#">政务公开</a> &gt; <a href="#">年度报告</a></div>',
        '<div class="info">发布时间：2021-01-15 09:12　浏览次数：<span>261</span>　【字体：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</div>',
        PRINT_CLOSE + footer(["主办单位：建平县人民政府办公室", "网站标识码：2113220001　辽ICP备05000000号"], ["网站声明", "网站地图", "联系我们"]),
    ),
    "style": {"cells": "plain"},
    "printed": {
        "active": {
            "licensing.prev_items": "13", "licensing.change": "0", "licensing.decisions": "847",
            "penalty.prev_items": "72", "penalty.change": "-3", "penalty.decisions": "322",
            "coercion.prev_items": "8", "coercion.change": "-1", "coercion.decisions": "0",
        },
        "requests": requests("2019", {}),
        "reviews": reviews(),
    },
    "body": [
        "<p style=\"text-align:center\"><b>建平县卫生健康局</b></p>",
        "<p style=\"text-align:center\"><b>2020年度政府信息公开工作报告</b></p>",
        "2020年，本局在县政务公开办指导下，执行《中华人民共和国政府信息公开条例》和《辽宁省政府信息公开规定》，现公布本局2020年度的政府信息公开工作情况。报告期为2020年1月1日至12月31日，全文在建平县政府网站公开。",
        "一、总体情况",
        "一是调整政务公开领导小组，局长任组长、其他班子成员任副组长、各科室负责人为成员。二是制定了本局2020年政务公开工作要点。三是完善公文信息审核，拟稿时即提出公开属性并说明理由，由签发的局领导把关。",
        "二、主动公开政府信息情况",
        "[active]",
        "三、收到和处理政府信息公开申请情况",
        "[requests]",
        "四、政府信息公开行政复议、行政诉讼情况",
        "[reviews]",
        "五、存在的主要问题及改进情况",
        "公开栏目更新仍有滞后，将落实专人定期维护。",
        "六、其他需要报告的事项",
        "无。",
        "建平县卫生健康局",
        "2021年1月15日",
    ],
    "signature": ["建平县卫生健康局", "2021年1月15日"],
})

# 6 ---------------------------------------------------------------------------
REPORTS.append({
    "id": "hengnan-wsjk-2020",
    "file": "hengnan-wsjk-2020.html",
    "form": "html",
    "format": "2019",
    "title_lines": ["衡南县卫生健康局", "2020年政府信息公开年度报告"],
    "page": page(
        "衡南县卫生健康局2020年政府信息公开年度报告",
        '<div class="bar"><a href="#">衡南县人民政府</a> <a href="#">适老化</a> <a href="#">无障碍</a></div>'
        '<div class="dqwz">当前页面: <a href="#">首页</a>  &gt; <a href="#">政务公开</a> &gt; <a href="#">部门信息公开目录</a> &gt; <a href="#">县政府工作部门</a> &gt; <a href="#">县卫生健康局</a> &gt; <a href="#">信息公开年报</a></div>',
        '<h1>衡南县卫生健康局2020年政府信息公开年度报告</h1>',
        SHARE + footer(["衡南县人民政府主办　网站标识码：4304220001", "湘ICP备05000000号　湘公网安备 43042202000001号"], ["网站地图", "联系我们", "纠错"]),
    ),
    "style": {"cells": "p", "labels": {"本年增/减": "本年增/", "本年新制作数量": "本年新\n制作数量", "本年新公开数量": "本年新\n公开数量"}},
    "printed": {
        "active": {
            "rules.made": "6", "rules.published": "2", "rules.total_public": "10",
            "normative_docs.made": "198", "normative_docs.published": "7", "normative_docs.total_public": "21",
            "licensing.prev_items": "18", "licensing.change": "0", "licensing.decisions": "1625",
            "other_services.prev_items": " ", "other_services.change": " ", "other_services.decisions": " ",
            "penalty.prev_items": "137", "penalty.change": "0", "penalty.decisions": " 112",
            "coercion.prev_items": "12", "coercion.change": "0", "coercion.decisions": " 21",
        },
        "requests": requests("2019", {}),
        "reviews": reviews(),
    },
    "body": [
        "<p style=\"text-align:center\"><strong>衡南县卫生健康局</strong></p>",
        "<p style=\"text-align:center\"><strong>2020年政府信息公开年度报告</strong></p>",
        "<p style=\"text-align:center\">(20201231日)</p>",
        "编制说明：本报告依照国家、省、市、县关于政府信息公开的规定编写，分总体情况、主动公开、依申请公开、行政复议和行政诉讼、存在问题及改进、其他事项六部分，统计期为2020年1月1日至12月31日。",
        "一、总体情况",
        "2020年，本局把政府信息公开作为建设法治政府、服务政府的一项日常工作，在充实公开内容、完善配套制度、夯实基础工作、做好政策解读等方面继续推进。",
        "二、主动公开政府信息情况",
        "[active]",
        "三、收到和处理政府信息公开申请情况",
        "[requests]",
        "四、政府信息公开行政复议、行政诉讼情况",
        "[reviews]",
        "五、存在的主要问题及改进情况",
        "公开工作人员多为兼职，业务水平有待提高，明年将组织专题培训。",
        "六、其他需要报告的事项",
        "无。",
    ],
})

# 7 ---------------------------------------------------------------------------
REPORTS.append({
    "id": "qianjin-jyj-2020",
    "file": "qianjin-jyj-2020.html",
    "form": "html",
    "format": "2019",
    "title_lines": ["前进区教育局2020年政府信息公开工作年度报告"],
    "page": page(
        "前进区教育局2020年政府信息公开工作年度报告 - 佳木斯市前进区人民政府",
        '<div class="top">佳木斯市前进区人民政府 <a href="#">首页</a> <a href="#">政务公开</a> <a href="#">新闻中心</a> <a href="#">便民服务</a></div>',
        '<h3>前进区教育局2020年政府信息公开工作年度报告</h3>'
        '<div class="laiyuan">发布者:区教体局　　发布日期:2021-01-19 14:36:15　　浏览次数:19432</div>',
        '<div class="tools">【<a href="#">打印</a>】 【<a href="#">关闭</a>】</div>' + footer(["版权所有：佳木斯市前进区人民政府　黑ICP备05000000号", "网站标识码：2308040001"], ["网站地图", "联系我们"]),
    ),
    "style": {"cells": "p", "labels": {"本年新制作数量": "本年新\n制作数量", "本年新公开数量": "本年新\n公开数量"}},
    "printed": {
        "active": {
            "rules.made": "  0", "rules.published": " 0", "rules.total_public": " 0",
            "normative_docs.made": "  0", "normative_docs.published": " 0", "normative_docs.total_public": " 0",
            "licensing.prev_items": " 0", "licensing.change": " 0", "licensing.decisions": " 0",
            "other_services.prev_items": " 0", "other_services.change": " 0", "other_services.decisions": " 0",
            "penalty.prev_items": " 0", "penalty.change": " 0", "penalty.decisions": " 0",
            "coercion.prev_items": " 0", "coercion.change": " 0", "coercion.decisions": " 0",
            "fees.prev_items": " 0", "fees.change": "",
            "procurement.count": " 0", "procurement.amount": "0",
        },
        "requests": requests("2019", {}),
        "reviews": reviews(),
    },
    "body": [
        "本报告依照《中华人民共和国政府信息公开条例》编写，统计期为2020年1月1日至12月31日。对报告有疑问的，请与前进区教育局联系，电话8691639。",
        "一、总体情况",
        "2020年，区教育局执行区委、区政府关于政务公开的部署，把教育领域群众关心的问题列为全年公开重点，按条例分解任务，逐步健全本局的公开管理制度，加大公开力度，自觉接受监督，把政务公开与行风建设、依法行政结合起来推进。",
        "二、主动公开政府信息情况",
        "[active]",
        "三、收到和处理政府信息公开申请情况",
        "[requests]",
        "四、政府信息公开行政复议、行政诉讼情况",
        "[reviews]",
        "五、存在的主要问题及改进情况",
        "栏目内容还不够全，明年将对照目录逐项补齐。",
        "六、其他需要报告的事项",
        "无。",
    ],
})

# 8 ---------------------------------------------------------------------------
REPORTS.append({
    "id": "panzhihua-xiqu-sjj-2020",
    "file": "panzhihua-xiqu-sjj-2020.html",
    "form": "html",
    "format": "2019",
    "title_lines": ["攀枝花市西区审计局2020年政府信息公开工作年度报告"],
    "page": page(
        "攀枝花市西区审计局2020年政府信息公开工作年度报告",
        '<ul class="nav"><li><a href="#">首页</a></li><li><a href="#">政务公开</a></li><li><a href="#">政务服务</a></li><li><a href="#">互动交流</a></li></ul>',
        '<h1>攀枝花市西区审计局2020年政府信息公开工作年度报告</h1>'
        '<div class="xl_info"><span>www.panzhihua.gov.cn</span>　　 <span>发布时间:2021-01-11</span>　　 <span>来源:攀枝花市西区审计局</span>　　  <span>选择阅读字号:[ <a href="#">大</a> <a href="#">中</a> <a href="#">小</a> ]</span>　　 <span>阅读次数:</span></div>',
        SHARE + footer(["主办单位：攀枝花市西区人民政府办公室", "网站标识码：5104020001　蜀ICP备05000000号"], ["网站地图", "联系我们"]),
    ),
    "style": {"cells": "p", "labels": {"本年新制作数量": "本年新\n制作数量", "本年新公开数量": "本年新\n公开数量"}},
    "printed": {
        "active": {},
        "requests": requests("2019", {}),
        "reviews": reviews(),
    },
    "body": [
        "一、总体情况",
        "2020年，西区审计局按《中华人民共和国政府信息公开条例》的要求，加强组织领导和工作机制，充实公开队伍，加大公开力度，主动接受群众监督。",
        "（一）主动公开政府信息情况 。",
        "本局依托政府网站公开了工作动态、公示公告、权力运行、财政预决算等信息149条，并及时更新信息公开指南中的办公地址和联系电话。",
        "（二）强化工作保障和监督。",
        "政务公开由专人负责，及时发布、定期维护；发布前按程序进行保密审查。",
        "（三）依申请公开政府信息情况。",
        "2020年本局收到政府信息公开申请0件。",
        "（四）申请行政复议和提起行政诉讼情况。",
        "2020年行政复议0件，行政诉讼0件。",
        "二、主动公开政府信息情况",
        "[active]",
        "三、收到和处理政府信息公开申请情况",
        "[requests]",
        "四、政府信息公开行政复议、行政诉讼情况",
        "[reviews]",
        "五、存在的主要问题及改进情况",
        "审计结果公告的解读还不够，明年将同步发布解读材料。",
        "六、其他需要报告的事项",
        "无。",
    ],
})

# 9 ---------------------------------------------------------------------------
REPORTS.append({
    "id": "wenchanghu-lyj-2020",
    "file": "wenchanghu-lyj-2020.html",
    "form": "html",
    "format": "2019",
    "title_lines": ["文昌湖区旅游局2020年度政府信息公开年度报告"],
    "page": page(
        "文昌湖区旅游局2020年度政府信息公开年度报告",
        '<div class="top"><a href="#">淄博文昌湖省级旅游度假区</a> <a href="#">首页</a> <a href="#">政府信息公开</a></div>'
        '<div class="crumb">当前位置：<a href="#">首页</a> &gt; <a href="#">政府信息公开</a> &gt; <a href="#">区旅游局</a></div>',
        '<table class="xxgk_table"><tr><th>标题:</th><td colspan="3">文昌湖区旅游局2020年度政府信息公开年度报告</td></tr>'
        '<tr><th>索引号:</th><td>12370300MB2817364D/2021-5125335</td><th>文号:</th><td>无文号</td></tr>'
        '<tr><th>发文日期:</th><td>2021-01-29</td><th>发布机构:</th><td>文昌湖区旅游局</td></tr></table>'
        '<div class="title">文昌湖区旅游局2020年度政府信息公开年度报告</div>',
        '<div class="fx">【<a href="#">打印本页</a>】【<a href="#">关闭窗口</a>】</div>' + footer(["主办：淄博文昌湖省级旅游度假区管委会　网站标识码：3703000099", "鲁ICP备05000000号"], ["网站地图", "联系我们"]),
    ),
    "style": {"cells": "plain", "labels": {"本年新公开数量": "本年新 公开数量", "对外公开总数量": "对外公开 总数量"}, "section_rows": "cells"},
    "printed": {
        "active": {},
        "requests": requests("2019", {}),
        "reviews": reviews(),
    },
    "body": [
        "区旅游局按国务院办公厅政府信息与政务公开办公室关于年度报告的通知和淄博市的编制要求，将本局2020年度政府信息公开工作情况报告如下：",
        "一、总体情况",
        "2020年，本局按区工委、管委会的要求落实《中华人民共和国政府信息公开条例》《山东省政府信息公开办法》，以官方网站和微信为载体拓宽公开渠道，在保证信息安全的前提下提高工作透明度。",
        "二、主动公开信息情况",
        "全年主动公开政府信息88条，涵盖文化惠民演出、非遗目录、文物保护单位、旅行社、A级景区等内容；在区网站发布部门动态15条，微信推送195条。",
        "[active]",
        "三、收到和处理政府信息公开申请情况",
        "[requests]",
        "四、政府信息公开行政复议、行政诉讼情况",
        "[reviews]",
        "五、存在的主要问题及改进情况",
        "公开形式还比较单一，明年将增加图文解读。",
        "六、其他需要报告的事项",
        "无。",
    ],
})

# 10 --------------------------------------------------------------------------
REPORTS.append({
    "id": "wendeng-zjj-2019",
    "file": "wendeng-zjj-2019.html",
    "form": "html",
    "format": "2019",
    "title_lines": ["威海市文登区住房和城乡建设局2019年政府信息公开工作年度报告"],
    "page": page(
        "威海市文登区住房和城乡建设局2019年政府信息公开工作年度报告",
        '<div class="top"><a href="#">文登区人民政府</a> <a href="#">长者模式</a> <a href="#">无障碍</a></div>'
        '<ul class="nav"><li>首页</li><li>政务公开</li><li>政务服务</li><li>互动交流</li><li>走进文登</li></ul>',
        '<div class="title">威海市文登区住房和城乡建设局2019年政府信息公开工作年度报告</div>'
        '<div class="fbrq">发布日期:2020-01-15 10:20:31</div>',
        footer(["主办：威海市文登区人民政府办公室　网站标识码：3710810001", "鲁ICP备05000000号　鲁公网安备 37108102000001号"], ["网站地图", "联系我们", "关于本站"]),
    ),
    "style": {"cells": "plain", "section_rows": "cells"},
    "printed": {
        "active": {
            "rules.made": "0  ", "rules.published": "0  ", "rules.total_public": "0  ",
            "normative_docs.made": "0  ", "normative_docs.published": "8  ", "normative_docs.total_public": "8  ",
            "licensing.prev_items": "716  ", "licensing.change": "-417  ", "licensing.decisions": "298  ",
            "other_services.prev_items": "0  ", "other_services.change": "0  ", "other_services.decisions": "0  ",
            "penalty.prev_items": "3  ", "penalty.change": "6  ", "penalty.decisions": "9  ",
            "coercion.prev_items": "0  ", "coercion.change": "0  ", "coercion.decisions": "0  ",
            "fees.prev_items": "0  ", "fees.change": "0  ", "procurement.count": "0  ", "procurement.amount": "0  ",
        },
        "requests": requests("2019", {
            "new": ["2  ", "0", "0", "0", "0", "0", "2  "],
            "disclosed": ["2", "0", "0", "0", "0", "0", "2"],
            "total": ["2", "0", "0", "0", "0", "0", "2"],
        }),
        "reviews": reviews(),
    },
    "body": [
        "一、总体情况",
        "区住建局把政府信息公开列入日常议事日程，调整了公开工作领导小组，分清职责，健全机制，借助微信公众号和新闻投稿等渠道扩大公开范围、细化公开内容。2019年共主动公开政府信息227条：工作动态85条，公告公示21条，政策文件及解读6条，重点领域信息76条，其他39条。",
        "二、主动公开政府信息情况",
        "[active]",
        "三、收到和处理政府信息公开申请情况",
        "[requests]",
        "四、政府信息公开行政复议、行政诉讼情况",
        "[reviews]",
        "五、存在的主要问题及改进情况",
        "重点领域信息的发布还不够及时，明年将按事项建立发布清单。",
        "六、其他需要报告的事项",
        "无。",
    ],
})

# 11 --------------------------------------------------------------------------
REPORTS.append({
    "id": "taojiang-sjj-2020",
    "file": "taojiang-sjj-2020.pdf",
    "form": "pdf-from-docx",
    "format": "2019",
    "title_lines": ["桃江县审计局", "2020年政府信息公开工作年度报告"],
    "style": {"labels": {"本年新制作数量": "本年新\n制作数量", "本年新公开数量": "本年新\n公开数量"}},
    "printed": {
        "active": {"normative_docs.made": "2", "normative_docs.published": "2", "normative_docs.total_public": "2"},
        "requests": requests("2019", {}),
        "reviews": reviews(),
    },
    "body": [
        "一、总体情况",
        "2020年，县审计局执行《中华人民共和国政府信息公开条例》，结合审计工作实际明确公开目标、充实公开内容，全年主动公开政府信息26条：规范性文件2条，部门预决算及三公经费4条，审计报告8条，部门动态12条。截至2020年12月31日，历年累计公开26条。",
        "对本报告有疑问的，请联系桃江县审计局办公室，电话0737-2691838。",
        "二、主动公开政府信息情况",
        "[active]",
        "三、收到和处理政府信息公开申请情况",
        "[requests]",
        "四、政府信息公开行政复议、行政诉讼情况",
        "[reviews]",
        "五、存在的主要问题及改进情况",
        "审计结果公开的数量还不多，明年将随审计项目的完成及时公告。",
        "六、其他需要报告的事项",
        "无。",
    ],
})

# 12 --------------------------------------------------------------------------
_XF_SPLIT = {"结果维持": "结果\n维持", "结果纠正": "结果\n纠正", "其他结果": "其他\n结果", "尚未审结": "尚未\n审结", "总计": "总\n计"}
REPORTS.append({
    "id": "wendeng-xfj-2022",
    "file": "wendeng-xfj-2022.pdf",
    "form": "docx+pdf",
    "format": "2021",
    "title_lines": ["威海市文登区信访局", "2022年政府信息公开工作年度报告"],
    "style": {"reviews_labels": _XF_SPLIT},
    "printed": {
        "active": {},
        "requests": requests("2021", {}),
        "reviews": reviews(),
    },
    "body": [
        "本报告依照《中华人民共和国政府信息公开条例》和国办公开办函〔2021〕30号年度报告格式编写，统计期为2022年1月1日至12月31日。",
        "一、总体情况",
        "2022年，区信访局按区政务公开工作的部署，把信访工作的办理程序、接待安排和工作动态作为公开重点，做好主动公开和依申请公开。",
        "二、主动公开政府信息情况",
        "[active]",
        "三、收到和处理政府信息公开申请情况",
        "[requests]",
        "四、因政府信息公开工作被申请行政复议提起行政诉讼情况",
        "[reviews]",
        "五、政府信息公开工作存在的主要问题及改进情况",
        "回顾本年度的工作，公开的信息比往年多，形式也更规范，但仍有两点不足：",
        "一是队伍不够稳定。承担公开工作的骨干多为兼职，懂法律、懂网络的专业人员偏少。二是信访工作的信息多数依法不宜公开，能公开的内容不多，离群众的期待还有距离。",
        "针对这些问题，明年一是定出培训计划和考核办法，分级分层培训经办人员；二是在政务公开上继续想办法、出新招，把能公开的办理流程和结果公开到位。",
        "六、其他需要报告的事项",
        "本年度未收取信息处理费。",
        "威海市文登区信访局",
    ],
    "signature": ["威海市文登区信访局"],
})

# 13 --------------------------------------------------------------------------
# A Word report printed to PDF page by page, as the district's flip-book shows it: A4, 仿宋
# text, ruled tables whose narrow 表四 columns stack their labels a character a line.
_PRINT_PAGE = (
    '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><style>'
    "@page { size: A4; margin: 37mm 26mm 35mm 28mm; }"
    "body { font-family: 'FangSong', 'AR PL UKai CN', 'Noto Serif CJK SC', serif; font-size: 16pt; line-height: 28pt; }"
    "p { margin: 0; text-indent: 2em; text-align: justify; }"
    "p.title { text-align: center; text-indent: 0; font-size: 22pt; line-height: 34pt; font-family: 'Noto Serif CJK SC', serif; font-weight: bold; }"
    "p.head1 { font-family: 'Noto Sans CJK SC', sans-serif; }"
    "table { border-collapse: collapse; margin: 6pt auto; font-size: 10pt; line-height: 13pt; font-family: 'Noto Serif CJK SC', serif; }"
    "td { border: 1px solid #000; padding: 2pt 3pt; text-align: center; vertical-align: middle; }"
    "table.narrow td { width: 8mm; padding: 1pt; }"
    "p.sign { text-align: right; text-indent: 0; }"
    "</style></head><body>\n{BODY}\n</body></html>\n"
)
_ONE_CHAR_A_LINE = {label: "\n".join(label) for label in ("结果维持", "结果纠正", "其他结果", "尚未审结")}
REPORTS.append({
    "id": "wendeng-sjj-2020",
    "file": "wendeng-sjj-2020.pdf",
    "form": "print-pdf",
    "format": "2019",
    "title_lines": ["威海市文登区审计局", "2020年政府信息公开工作年度报告"],
    "page": _PRINT_PAGE,
    "style": {
        "cells": "plain",
        "para": "<p>{}</p>",
        "reviews_labels": _ONE_CHAR_A_LINE,
        "narrow_tables": ("reviews",),
        "labels": {"本年新制作数量": "本年新\n制作数量", "本年新公开数量": "本年新\n公开数量"},
    },
    "printed": {
        "active": {},
        "requests": requests("2019", {}),
        "reviews": reviews(),
    },
    "body": [
        '<p class="title">威海市文登区审计局</p>',
        '<p class="title">2020年政府信息公开工作年度报告</p>',
        "<p>&nbsp;</p>",
        "本报告依照《中华人民共和国政府信息公开条例》编写，统计期为2020年1月1日至12月31日。",
        '<p class="head1">一、总体情况</p>',
        "2020年，区审计局把审计结果公告和部门动态作为公开重点，依法、有序公开本局形成的政府信息。",
        '<p class="head1">二、主动公开政府信息情况</p>',
        "[active]",
        '<p class="head1">三、收到和处理政府信息公开申请情况</p>',
        "[requests]",
        '<p class="head1">四、政府信息公开行政复议、行政诉讼情况</p>',
        "2020年，本局依法、有序公开所形成的政府信息，没有发生申请行政复议或提起行政诉讼的情况。",
        "[reviews]",
        '<p class="head1">五、存在的主要问题及改进情况</p>',
        "在区政府和上级主管部门的指导、各科室的配合下，本年度的政务公开取得了一些进展，但公开内容、创新方式和政府开放日活动还有不足。",
        "2021年，本局将按全区政务公开的具体部署，查找各环节的薄弱点，加大力度，提高公开水平，发挥审计在监督体系中的作用。",
        '<p class="head1">六、其他需要报告的事项</p>',
        "无。",
        '<p class="sign">威海市文登区审计局</p>',
    ],
})

# 14 --------------------------------------------------------------------------
REPORTS.append({
    "id": "shijiazhuang-jyj-2021",
    "file": "shijiazhuang-jyj-2021.html",
    "form": "html",
    "format": "2021",
    "title_lines": ["2021年石家庄市教育局政府信息公开工作年度报告"],
    "page": page(
        "2021年石家庄市教育局政府信息公开工作年度报告_石家庄市人民政府",
        '<div class="top"><a href="#">石家庄市人民政府</a> <a href="#">无障碍</a> <a href="#">关怀版</a></div>'
        '<div class="crumb">您的位置：<a href="#">首页</a> &gt; <a href="#">政府信息公开</a> &gt; <a href="#">市教育局</a> &gt; <a href="#">政府信息公开年报</a></div>',
        '<div class="article-title">2021年石家庄市教育局政府信息公开工作年度报告</div>'
        '<div class="article-info">发布日期：2022-01-20　来源：市教育局　【字体：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</div>',
        SHARE + PRINT_CLOSE + footer(["主办：石家庄市人民政府办公室　网站标识码：1301000001", "冀ICP备05000000号　冀公网安备 13010202000001号"], ["网站地图", "联系我们", "网站声明"]),
    ),
    "style": {"cells": "plain", "labels": {"第二十条第（一）项": "第二十条 第(一)项", "第二十条第（五）项": "第二十条 第(五)项", "第二十条第（六）项": "第二十条  第(六)项", "第二十条第（八）项": "第二十条  第(八)项"}},
    "printed": {
        "active": {
            "rules.made": "      0", "rules.repealed": "       0", "rules.in_force": "        0",
            "normative_docs.made": "      2", "normative_docs.repealed": "       0", "normative_docs.in_force": "        8",
            "penalty.decisions": "2", "fees.amount_wan": "172",
        },
        "requests": requests("2021", {}),
        "reviews": reviews(),
    },
    "body": [
        "依照《中华人民共和国政府信息公开条例》，现公布2021年石家庄市教育局政府信息公开工作年度报告，共分总体情况、主动公开、依申请公开、行政复议和行政诉讼、存在问题及改进等部分，统计期为2021年1月1日至12月31日。",
        "一、总体情况",
        "2021年，本局按条例和本市政务公开要点的要求，围绕主动公开、依申请公开、政策解读、舆情回应、政府网站和政务新媒体，健全制度，充实内容，加强教育信息的发布、解读和回应。",
        "全年公开信息13921条：政府网站和局网站12766条，“石家庄教育发布”微信公众号1100余条；在局网站答复网民留言1424条，办理12345热线转办事项6155件。",
        "二、主动公开政府信息情况",
        "[active]",
        "三、收到和处理政府信息公开申请情况",
        "[requests]",
        "四、政府信息公开行政复议、行政诉讼情况",
        "[reviews]",
        "五、存在的主要问题及改进情况",
        "个别栏目更新不及时，明年将建立栏目维护台账。",
        "六、其他需要报告的事项",
        "本年度未收取信息处理费。",
    ],
})

# 15 --------------------------------------------------------------------------
REPORTS.append({
    "id": "fengxian-rsj-2023",
    "file": "fengxian-rsj-2023.html",
    "form": "html",
    "format": "2021",
    "title_lines": ["凤县人力资源和社会保障局2023年政府信息公开工作年度报告"],
    "page": page(
        "凤县人力资源和社会保障局2023年政府信息公开工作年度报告",
        '<div class="topbar"><a href="#">凤县人民政府</a> <a href="#">无障碍</a> <a href="#">长者模式</a></div>'
        '<div class="location">当前位置：<a href="#">首页</a> &gt; <a href="#">信息公开</a> &gt; <a href="#">政府信息公开年报</a></div>',
        '<h1>凤县人力资源和社会保障局2023年政府信息公开工作年度报告</h1>'
        '<div class="info">发布时间：2024-01-26　信息来源：县人社局　浏览次数：<span>96</span></div>',
        SHARE + footer(["主办：凤县人民政府办公室　网站标识码：6103300001", "陕ICP备05000000号"], ["网站地图", "联系我们"]),
    ),
    "style": {"cells": "plain", "labels": {"商业企业": "商业 企业", "科研机构": "科研 机构"}},
    "printed": {
        "active": {"coercion.decisions": ""},
        "requests": requests("2021", {}),
        "reviews": reviews(),
    },
    "body": [
        "一、总体情况",
        "2023年，县人社局按《中华人民共和国政府信息公开条例》依法、及时、全面地发布政务信息，坚持先审后发、三审三校，从撰写到发布逐环节把关。",
        "全年在凤县人民政府网站更新领导分工、工作动态、就业创业、养老保险等栏目，及时发布事业单位招聘信息：网站发布新闻稿件97条、重点领域信息61条，微信公众号发布118条。",
        "二、主动公开政府信息情况",
        "[active]",
        "三、收到和处理政府信息公开申请情况",
        "[requests]",
        "四、政府信息公开行政复议、行政诉讼情况",
        "[reviews]",
        "五、存在的主要问题及改进情况",
        "栏目更新的频次不均衡，明年将按月检查。",
        "六、其他需要报告的事项",
        "本年度未收取信息处理费。",
    ],
})

# 16 --------------------------------------------------------------------------
REPORTS.append({
    "id": "wuqi-swj-2022",
    "file": "wuqi-swj-2022.html",
    "form": "html",
    "format": "2021",
    "title_lines": ["吴起县商务局2022年政府信息公开工作年度报告"],
    "page": page(
        "吴起县商务局2022年政府信息公开工作年度报告-吴起县人民政府",
        '<ul class="nav"><li><a href="#">首页</a></li><li><a href="#">走进吴起</a></li><li><a href="#">政务公开</a></li><li><a href="#">政务服务</a></li><li><a href="#">互动交流</a></li></ul>'
        '<div class="crumb">您现在的位置：<a href="#">首页</a> &gt; <a href="#">政府信息公开</a> &gt; <a href="#">政府信息公开年报</a> &gt; <a href="#">部门</a></div>',
        '<h2 class="tit">吴起县商务局2022年政府信息公开工作年度报告</h2>'
        '<div class="sub">发布时间：2023-01-19 10:12　来源：县商务局　字号：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a></div>',
        PRINT_CLOSE + footer(["吴起县人民政府主办　网站标识码：6106260001", "陕ICP备05000000号　陕公网安备 61062602000001号"], ["网站地图", "联系我们"]),
    ),
    "style": {"cells": "plain", "labels": {"行政规范性文件": "规范性文件", "商业企业": "商业 企业", "科研机构": "科研 机构"}},
    "printed": {
        "active": {},
        "requests": requests("2021", {}),
        "reviews": reviews(),
    },
    "body": [
        "2022年，县商务局在县委、县政府领导下落实《中华人民共和国政府信息公开条例》和省、市、县的部署，规范公开工作，全年主动公开重大项目、机构职能等信息24条。现将本局2022年度政府信息公开工作报告如下：",
        "一、总体情况",
        "（一）组织领导情况。成立局长任组长、副局长任副组长、局属各单位负责人为成员的政务公开领导小组，日常工作由局办公室承担。",
        "（二）建立健全工作制度情况。各股室按规定分类报送拟公开信息，经领导签批后公开，未经签批不得发布；依申请公开由主要负责人签署意见后办理。",
        "（三）定期培训操作人员。要求信息发布员掌握公开的主要内容和常识，熟练使用公开平台。",
        "二、主动公开政府信息情况",
        "[active]",
        "三、收到和处理政府信息公开的申请情况",
        "[requests]",
        "四、政府信息公开行政复议、行政诉讼情况",
        "[reviews]",
        "五、存在的主要问题及改进情况",
        "公开内容以工作动态为主，政策解读偏少，明年将配套发布解读。",
        "六、其他需要报告的事项",
        "无。",
    ],
})

# 17 --------------------------------------------------------------------------
_ONLY_TOTAL = ["", "", "", "", "", "", " 0"]
REPORTS.append({
    "id": "yuyang-tuofenglu-2020",
    "file": "yuyang-tuofenglu-2020.html",
    "form": "html",
    "format": "2019",
    "title_lines": ["驼峰路街道办事处政府信息公开工作年度报告"],
    "page": page(
        "驼峰路街道办事处政府信息公开工作年度报告",
        '<div class="top"><a href="#">榆林市榆阳区人民政府</a> <a href="#">无障碍浏览</a></div>'
        '<ul class="nav"><li>首页</li><li>政务公开</li><li>政务服务</li><li>政民互动</li><li>走进榆阳</li></ul>'
        '<div class="crumb">当前位置：<a href="#">首页</a> &gt; <a href="#">政务公开</a> &gt; <a href="#">政府信息公开年报</a> &gt; <a href="#">街道办事处</a></div>',
        '<h1 class="tit">驼峰路街道办事处政府信息公开工作年度报告</h1>',
        SHARE + footer(["主办：榆林市榆阳区人民政府办公室　网站标识码：6108020001", "陕ICP备05000000号"], ["网站地图", "联系我们"]),
    ),
    "style": {"cells": "p"},
    "printed": {
        "active": {"fees.prev_items": "0", "fees.change": "0"},
        "requests": requests("2019", {}, default=_ONLY_TOTAL),
        "reviews": reviews(),
    },
    "body": [
        "一、总体情况",
        "（一）主动公开政府信息情况",
        "1、公开公示领导干部的职责和联系方式，以及群众办事的流程。",
        "2、在社区公告栏、宣传栏公开和宣传低保、再就业、环境整治等群众关心的事项，让群众看得到、信得过。",
        "（二）政府信息依申请公开情况",
        "2020年度本街办没有收到公开政府信息的申请。",
        "（三）政府信息公开的收费情况",
        "没有收取任何费用。",
        "（四）因政府信息公开申请的行政复议、行政诉讼情况",
        "2020年本街办没有因政府信息公开被申请行政复议或被提起行政诉讼。",
        "二、主动公开政府信息情况",
        "[active]",
        "三、收到和处理政府信息公开申请情况",
        "[requests]",
        "四、政府信息公开行政复议、行政诉讼情况",
        "[reviews]",
        "五、存在的主要问题及改进情况",
        "公开栏更新不够及时，明年将定期检查。",
        "六、其他需要报告的事项",
        "无。",
    ],
})
