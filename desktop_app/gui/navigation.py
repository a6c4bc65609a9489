"""The navigation list, shared by the start-up frame and the main window (Qt-free, so start-up stays light)."""

NAV_TITLES = ("概览", "项目", "社区基金", "收支台账", "活动记录", "物资台账", "慈善阵地", "需求调查", "信息公示", "数据同步",
              "设置")
NAV_WIDTH = 132
