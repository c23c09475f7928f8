from digestgen.cli import main

raise SystemExit(main())
