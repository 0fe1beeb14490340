"""Names shared by the workbook writer and reader: sheets and column headers."""

INFO_SHEET = "基本信息"
NARRATIVE_SHEET = "正文"
ATTACHMENT_SHEET = "附件"
HELP_SHEET = "说明"
META_SHEET = "_meta"

INFO_HEADERS = ("项目", "填写内容", "说明")
# 部分 is only written for kinds with fixed parts (the annual report's 一/五/六).
NARRATIVE_HEADERS = ("部分", "层级", "标题", "正文")
ATTACHMENT_HEADERS = ("附件标题", "附件内容")

TABLE_TOP = 4  # first worksheet row of a statutory table (title and hint above)
META_VERSION = "1"
META_TEMPLATES = "templates"  # _meta key: an office's templates folder, relative to the workbook
# 基本信息 row naming the same folder; read before the kind is known, so not a manifest field.
TEMPLATES_LABEL = "模板目录"
# _meta keys written by `init --from` (gxreport/inputs/nextyear.py): last year's report, relative to
# the workbook; its figures the cross-year rules read, for when the file has moved; digests
# of the text carried over as a draft, so check can tell whether the clerk revised it.
META_PREVIOUS = "previous"
META_PREVIOUS_FIGURES = "previous_figures"
META_DRAFTS = "drafts"
