"""How the build's work is carried out, apart from what the work is: spread over processes
(:mod:`~digestgen.pipeline.parallel`) and reused from the last build
(:mod:`~digestgen.pipeline.cache`). The stages themselves (load, graph, render, write) know
neither."""
