"""`python -m console` is the same as the `trading-console` script."""

from console.cli import main

raise SystemExit(main())
