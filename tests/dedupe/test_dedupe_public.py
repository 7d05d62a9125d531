"""newsrelay.dedupe's public surface is deliberate: everything in __all__ exists, nothing private.

(The order of __all__ is ruff's to keep: RUF022 sorts it.)
"""

import newsrelay.dedupe


def test_all_names_exist_and_none_is_private() -> None:
    for name in newsrelay.dedupe.__all__:
        assert hasattr(newsrelay.dedupe, name), name
        assert not name.startswith("_"), name
