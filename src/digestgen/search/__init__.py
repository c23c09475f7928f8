"""Search: a static, sharded index that understands Korean, and the tokenizer it shares with
the browser (``static/js/search.js`` implements the same rules; tests hold both to one set of
cases in ``tests/fixtures/search/tokenize.json``)."""
