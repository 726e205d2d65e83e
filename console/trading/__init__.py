"""Trading logic above the venues: orders, their journal, risk checks, dead-man's switch."""
