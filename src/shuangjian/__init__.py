"""shuangjian (双减): supervision platform for the "double reduction" policy."""
