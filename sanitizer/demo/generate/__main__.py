"""`python -m sanitizer.demo.generate [path] [--seed N] [--scale N] [--if-missing]`."""

import sys

from sanitizer.demo.generate.cli import main

sys.exit(main())
