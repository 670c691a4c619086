"""`python -m voicedesk` is the `voicedesk` command."""

from voicedesk.cli import main

raise SystemExit(main())
