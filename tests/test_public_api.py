"""The package's public surface is deliberate: everything in __all__ exists, nothing else leaks."""

import newsrelay


def test_all_names_exist() -> None:
    for name in newsrelay.__all__:
        assert hasattr(newsrelay, name), name


def test_all_is_sorted_and_has_no_private_names() -> None:
    assert newsrelay.__all__ == sorted(newsrelay.__all__)
    assert not [n for n in newsrelay.__all__ if n.startswith("_") and n != "__version__"]
