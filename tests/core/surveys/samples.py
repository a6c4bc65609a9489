"""The real 问卷星 and 腾讯问卷 exports of ../shared/survey-samples/ (read from there, never copied into the project)."""

from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "survey-samples"
WJX_209 = SAMPLES / "wjx_2025_按文本_209rows.xlsx"
WJX_206 = SAMPLES / "wjx_2025_按文本_206rows.xlsx"
WJX_2016_TEXT = SAMPLES / "wjx_2016_All_Data_Readable_按文本.xls"
WJX_2016_CODES = SAMPLES / "wjx_2016_All_Data_Original_按序号.xls"
TXWJ_CSV = SAMPLES / "txwj_2021_questionaire_template.csv"
ALL = (WJX_209, WJX_206, WJX_2016_TEXT, WJX_2016_CODES, TXWJ_CSV)
