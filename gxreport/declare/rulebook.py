"""The rules R1–R13, declared once: id, severity, what the rule says, who evaluates it.

The README's rule table and docs/kinds.md are tested against this list
(tests/test_declarations.py). A finding takes its severity from here
(``finding``); a kind's declarations refer to rules by id and are refused
when they name one that is not here or one another evaluator owns.

Evaluators: ``table`` (``[[rule]]`` in tables.toml, rules.py), ``cross_year``
(``[[cross_year]]``, crossyear.py), ``cell`` (the readers, as they parse a
number), and the narrative and field rules of check.py (``check.EVALUATORS``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ERROR, WARNING, Finding, Location


@dataclass(frozen=True)
class Rule:
    """One of the rules R1–R13, declared once."""

    id: str
    severity: str
    statement: str  # the README's 内容 column, word for word
    evaluator: str


RULES: tuple[Rule, ...] = (
    Rule("R1", ERROR, "表三每一列：本年新收 + 上年结转 = 总计 + 结转下年度", "table"),
    Rule("R2", ERROR, "表三每一列：总计 = 各项办理结果之和（填写了总计时核对，未填写时自动计算）", "table"),
    Rule("R3", ERROR, "表三每一行：总计列 = 六类申请人之和", "table"),
    Rule("R4", ERROR, "表三、表四为非负整数；表二件数为非负整数（2019 格式的“本年增/减”可为负），收费金额为非负数", "cell"),
    Rule("R5", ERROR, "表三每一列的上年结转 = 上年报告的结转下年度（给出 `--previous` 时；机构合并、分设可在“上年结转差异说明”中说明）", "cross_year"),
    Rule("R6", ERROR, "表四各组：总计 = 维持 + 纠正 + 其他 + 尚未审结", "table"),
    Rule("R7", ERROR, "表格格式与报告年度相符（2019、2020 年度用 2019 格式，2021 年起用 2021 格式；`--format` 可强制指定，每次生成都会警告）", "format_year"),
    Rule("R8", WARNING, "现行有效件数 ≈ 上年现行有效件数 + 本年制发 − 本年废止（给出 `--previous` 时）", "cross_year"),
    Rule("R9", WARNING, "有申请因逾期未缴费不再处理，但未报告发出收费通知", "fee_refusal"),
    Rule("R10", WARNING, "正文中写的件数（收到申请、办结、结转、行政复议、行政诉讼、规章、规范性文件……）与统计表不符；写成了“自然人”一列的数而不是总计时会特别指出", "narrative_figure"),
    Rule("R11", WARNING, "正文的各部分不能为空或只写“无”（年度报告的第一、第五部分，工作总结、自查报告和 2018 年以前年度报告的每一部分）；第六部分须说明信息处理费收取情况；人民政府的报告还须写明考核评议、工作要点落实、建议提案办理、创新情况", "narrative_parts"),
    Rule("R12", WARNING, "成文日期不晚于法定期限（部门 1 月 31 日，人民政府 3 月 31 日）", "deadline"),
    Rule("R13", WARNING, "统计表单元格空白或填写“/”：应填 0，按 0 打印（整张表都未填写时只提示一条；一张表有多行整行未填写时，这些行合为一条并写明范围）", "cell"),
)

BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}


def finding(rule_id: str, where: Location, message: str, severity: str | None = None) -> Finding:
    """A finding of a declared rule; ``severity`` only where the rule itself softens (R5, R7 overridden)."""
    return Finding(severity or BY_ID[rule_id].severity, rule_id, where, message)


def rule_ids(evaluator: str) -> tuple[str, ...]:
    """The rules one evaluator owns: what a declaration may name for it."""
    return tuple(rule.id for rule in RULES if rule.evaluator == evaluator)


def rule_meaning(rule_id: str) -> str:
    """What a rule says, for pages that list findings (the web desk); a reader's own codes (输入…) have none."""
    rule = BY_ID.get(rule_id)
    return rule.statement if rule else ""
