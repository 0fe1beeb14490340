"""What each rule means, in a clerk's words, for pages that list findings (the desk).

The same rules as the README's table "检查的规则"; a reader's own codes (输入…) have none.
"""

from __future__ import annotations

RULE_MEANINGS = {
    "R1": "表三每一列：本年新收 + 上年结转 = 总计 + 结转下年度",
    "R2": "表三每一列：总计 = 各项办理结果之和",
    "R3": "表三每一行：总计列 = 六类申请人之和",
    "R4": "统计数字应为非负整数（2019 格式的本年增/减可为负），收费金额为非负数",
    "R5": "表三的上年结转 = 上年报告的结转下年度",
    "R6": "表四各组：总计 = 维持 + 纠正 + 其他 + 尚未审结",
    "R7": "表格格式与报告年度相符（2019、2020 年度用 2019 格式，2021 年起用 2021 格式）",
    "R8": "现行有效件数 ≈ 上年现行有效件数 + 本年制发 − 本年废止",
    "R9": "有申请因逾期未缴费不再处理，应报告发出收费通知",
    "R10": "正文中写的件数应与统计表一致",
    "R11": "第五、六部分等必写内容不能为空或只写“无”",
    "R12": "成文日期不晚于法定期限（部门 1 月 31 日，人民政府 3 月 31 日）",
    "R13": "统计表单元格不应空白或填写“/”，应填 0",
}


def rule_meaning(rule: str) -> str:
    return RULE_MEANINGS.get(rule, "")
