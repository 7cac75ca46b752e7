from dondoc.cli import main

raise SystemExit(main())
