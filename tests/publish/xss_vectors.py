"""Script-injection vectors for the XSS test, written for the project: the classic forms (event
handlers on many elements, script and frame elements, script URLs in every attribute that takes
a URL, breaking out of attributes, comments, JSON in <script>, mutation through foreign
content and raw-text elements), each in several spellings (case, entities, whitespace and
control characters, slashes for spaces, backticks).

Every vector calls ``nrx(N)``, a function the browser hook defines: a call means vector N ran.
``nrx`` is no word of any language, so a translation engine passes it through untouched.
"""

from __future__ import annotations

# {c} is the call, "nrx(N)"; {u} the URL form of the call, "javascript:nrx(N)"
MARKUP = [
    "<script>{c}</script>",
    "<img src=x onerror={c}>",
    "<svg onload={c}>",
    "<svg><script>{c}</script></svg>",
    "<body onload={c}>",
    '<iframe src="{u}"></iframe>',
    '<iframe srcdoc="<script>{c}</script>"></iframe>',
    '<object data="{u}"></object>',
    '<embed src="{u}">',
    '<a href="{u}">link</a>',
    "<details open ontoggle={c}>",
    "<video><source onerror={c}></video>",
    "<audio src=x onerror={c}>",
    "<input autofocus onfocus={c}>",
    "<marquee onstart={c}>m</marquee>",
    '<form action="{u}"><button>go</button></form>',
    '<button formaction="{u}">go</button>',
    "<math><mtext><table><mglyph><style><img src=x onerror={c}>",
    '<noscript><p title="</noscript><img src=x onerror={c}>">',
    "<textarea></textarea><img src=x onerror={c}>",
    "<template><img src=x onerror={c}></template><img src=x onerror={c}>",
    "<select><option><img src=x onerror={c}></option></select>",
    '<div style="background:url({u})">d</div>',
    "<style>@import '{u}';</style>",
    '<meta http-equiv="refresh" content="0;url={u}">',
    '<base href="{u}//">',
    '<link rel=stylesheet href="{u}">',
    '<table background="{u}"><tr><td>t</td></tr></table>',
    '"><img src=x onerror={c}>',
    "'><svg onload={c}>",
    "</title><script>{c}</script>",
    "</script><script>{c}</script>",
    "<!--<script>{c}</script>-->",
    "<![CDATA[<script>{c}</script>]]>",
    "<xmp><script>{c}</script></xmp>",
    '<isindex action="{u}" type=image>',
    '<img src="x" onerror="{c}" alt="a">',
    "<p onmouseover={c}>hover</p>",
    '<svg><a xlink:href="{u}"><text x=1 y=9>x</text></a></svg>',
    "<svg><animate onbegin={c} attributeName=x dur=1s>",
    "<iframe onload={c}></iframe>",
    '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" onload={c}>',
    "<svg><foreignObject><img src=x onerror={c}></foreignObject></svg>",
    '<a href=# onclick={c} id=x>x</a><a href="#x" onfocus={c}>y</a>',
]
URLS = [
    "{u}",
    "JaVaScRiPt:{c}",
    " javascript:{c}",
    "java\tscript:{c}",
    "javascript&colon;{c}",
    "&#106;avascript:{c}",
    "data:text/html,<script>{c}</script>",
    "data:image/svg+xml,<svg onload={c}>",
    "vbscript:{c}",
    "javascript://%0a{c}",
]


def _mutations(template: str) -> list[str]:
    """A template in six spellings: as written, upper case, slashes for spaces, a tab before
    the handler, a backtick call, and the call's first letter as a character reference (which
    an attribute decodes)."""
    upper = template.upper().replace("{C}", "{c}").replace("{U}", "{u}")
    return [
        template,
        upper,
        template.replace(" on", "/on"),
        template.replace(" on", "\ton"),
        template.replace("{c}", "nrx`{n}`"),
        template.replace("{c}", "&#x6e;rx({n})"),
    ]


def vectors() -> list[str]:
    """At least 200 distinct vectors, numbered by their position."""
    templates = [*MARKUP, *URLS]
    found: list[str] = []
    for template in templates:
        for spelling in _mutations(template):
            if spelling in found or spelling.count("{") == 0:
                continue
            found.append(spelling)
    return [
        spelling.replace("{n}", str(n))
        .replace("{c}", f"nrx({n})")
        .replace("{u}", f"javascript:nrx({n})")
        for n, spelling in enumerate(found)
    ]
