"""Turn a layout's Jinja templates into paragraphs of words, block by block, inside a sandbox
that bounds what a template may read, compute and take, and names the template and line of
anything that goes wrong.

A layout folder is untrusted, so a template can read only templates inside the layout's
folders (symlinks resolved), cannot reach Python objects (Jinja's immutable sandbox), cannot
build huge values (`*`, `**` and `%` are bounded, as are the arguments of every call and
filter), and must finish within a time budget. Every failure is a LayoutError located at
the template line that failed, never an internal error.
"""

from __future__ import annotations

import contextlib
import functools
import marshal
import re
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
)
from jinja2.bccache import Bucket, BytecodeCache
from jinja2.sandbox import ImmutableSandboxedEnvironment

from briefbook.cache import Cache
from briefbook.cache import key as cache_key
from briefbook.dates import day_words
from briefbook.errors import BriefbookError, LayoutError, did_you_mean
from briefbook.files import Refused, read_inside
from briefbook.fontfiles import is_registered_name
from briefbook.text import WEB_LINKS

MAX_TEMPLATE_BYTES = 200_000
MAX_BLOCK_CHARS = 2_000_000  # what one block may print, a few hundred pages' worth
MAX_VALUE = 1_000_000  # characters or items a template's own arithmetic may make
SECONDS = 5.0  # one render of one template's blocks, at most
PLAIN = ("outline", "footer")  # words for bookmarks and the canvas, not paragraph markup

Paragraphs = list[str]
_BLANK_LINE = re.compile(r"\n\s*\n")


class _TooLong(Exception):
    pass


class _Loader(BaseLoader):
    """Templates by name from the layout's folders in order, "<folder name>/x.j2" from that
    folder alone; every file read through files.read_inside, so a symlink that leads out of
    its folder is refused."""

    def __init__(self, folders: tuple[Path, ...], default: Path):
        self.folders = folders
        self.named = {f.name: f for f in reversed(folders)} | {"default": default}
        self.sources: dict[str, str] = {}  # file -> its text, as read

    def get_source(self, environment, template: str):
        prefix, _, rest = template.partition("/")
        if rest and prefix in self.named:
            search = [(self.named[prefix], rest)]
        else:
            search = [(folder, template) for folder in self.folders]
        for folder, name in search:
            if "/" in name or "\\" in name or name.startswith("."):
                break
            path = folder / name
            if not (path.exists() or path.is_symlink()):
                continue
            try:
                source = read_inside(folder, path, MAX_TEMPLATE_BYTES).decode("utf-8")
            except Refused as why:
                raise LayoutError.at(path, f"template: {why}") from None
            except UnicodeDecodeError:
                raise LayoutError.at(path, "template is not UTF-8 text; save it as UTF-8") from None
            self.sources[str(path)] = source
            return source, str(path), lambda: True
        raise TemplateNotFound(template)


class _Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with bounds on the values a template can make."""

    intercepted_binops = frozenset(["*", "**", "%", "+"])

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > 64:
            raise _Bounded(f"'{left} ** {right}' is too large; expected exponents up to 64")
        if (
            operator == "*"
            and _size(left) * _number(right) + _size(right) * _number(left) > MAX_VALUE
        ):
            raise _Bounded(f"'*' would make a value of more than {MAX_VALUE:,} characters")
        if operator == "%" and isinstance(left, str) and _PERCENT_WIDE.search(left):
            raise _Bounded(
                "a '%' format with a width or precision of thousands of characters, or one "
                "taken from the values (*)"
            )
        result = super().call_binop(context, operator, left, right)
        if _size(result) > MAX_VALUE:
            raise _Bounded(f"'{operator}' made a value of more than {MAX_VALUE:,} characters")
        return result

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """str.format and format_map, refused before they run when a field asks for a width
        or precision of a million characters or more (the value would be made first)."""
        wrapped = super().wrap_str_format(value)
        if wrapped is not None and _FORMAT_WIDE.search(value.__self__):
            raise _Bounded(
                f"a format field with a width or precision of more than {MAX_VALUE:,} characters"
            )
        return wrapped

    def call(__self, __context, __obj, *args, **kwargs):  # Jinja's own argument names
        _check_arguments(args, kwargs)
        result = super().call(__context, __obj, *args, **kwargs)
        if _size(result) > MAX_VALUE:
            raise _Bounded(f"a call made a value of more than {MAX_VALUE:,} characters")
        return result


# "%9999d", "%.9999d", "%(a)*d": widths of thousands, or widths from the values.
_PERCENT_WIDE = re.compile(r"%(?:\([^)]*\))?[-+ #0]*(?:\*|\d{4,}|\d*\.(?:\*|\d{4,}))")
_FORMAT_WIDE = re.compile(r"\{[^{}]*:[^{}]*\d{7,}")  # "{:>9999999999}", "{0:.10000000f}"


class _Undefined(StrictUndefined):
    """Undefined is an error, never an empty string; with the closest name if there is one."""

    @property
    def _undefined_message(self) -> str:
        names = self._undefined_obj if isinstance(self._undefined_obj, dict) else {}
        if self._undefined_hint or not (isinstance(self._undefined_name, str) and names):
            return super()._undefined_message
        fields = sorted(str(n) for n in names if not str(n).startswith("_"))
        return (
            f"no field '{self._undefined_name}' here; expected one of: {', '.join(fields)}"
            + did_you_mean(self._undefined_name, fields)
        )


class _Bounded(Exception):
    """A template asked for a value too large to make."""


def _size(value: Any) -> int:
    return len(value) if isinstance(value, str | list | tuple) else 0


def _number(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _check_arguments(args: tuple, kwargs: dict) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_VALUE:
            raise _Bounded(f"an argument of {value:,}; expected numbers up to {MAX_VALUE:,}")
        if _size(value) > MAX_VALUE:
            raise _Bounded(f"an argument of more than {MAX_VALUE:,} characters")


def _bounded_filter(function: Callable) -> Callable:
    @functools.wraps(function)  # keeps Jinja's pass_context/pass_environment marks
    def bounded(*args, **kwargs):
        _check_arguments(args, kwargs)
        return function(*args, **kwargs)

    return bounded


class _Compiled(BytecodeCache):
    """Templates compiled once and kept in briefbook's cache: compiling the default layout's
    takes longer than laying out a short book. An entry is named by the template, a digest
    of its source, the Python (whose bytecode it is), Jinja, briefbook and the settings of
    the environment that compiled it; one that cannot be read is compiled again. (Jinja's
    own file cache would also read a pickle from the folder; this reads only bytecode.)"""

    def __init__(self, cache: Cache, settings: tuple):
        self.cache, self.settings = cache, settings

    def _name(self, bucket: Bucket) -> str:
        import jinja2

        from briefbook import __version__

        made = (sys.version, jinja2.__version__, __version__, self.settings)
        return cache_key("template", made, bucket.key, bucket.checksum)

    def load_bytecode(self, bucket: Bucket) -> None:
        data = self.cache.get("templates", self._name(bucket))
        if data is not None:
            with contextlib.suppress(EOFError, ValueError, TypeError):
                bucket.code = marshal.loads(data)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.cache.put("templates", self._name(bucket), marshal.dumps(bucket.code))


def environment(folders: tuple[Path, ...], default: Path, cache: Cache | None = None) -> _Sandbox:
    """A sandboxed Jinja environment over `folders`, falling back to the built-in default;
    with `cache`, compiled templates are kept there for the next build.

    "default/mayor.j2" always names the built-in template, so a layout's mayor.j2 can
    extend it and override only some blocks.
    """
    settings = {"trim_blocks": True, "lstrip_blocks": True, "keep_trailing_newline": False}
    compiled = None if cache is None else _Compiled(cache, (_Sandbox.__name__, *settings.items()))
    env = _Sandbox(
        loader=_Loader(folders, default),
        undefined=_Undefined,
        autoescape=lambda name: Path(name or "").stem not in PLAIN,
        bytecode_cache=compiled,
        **settings,
        auto_reload=False,  # templates do not change during a build; skip the stat calls
    )
    for name in ("lipsum", "namespace"):  # text out of nothing; state that can grow in loops
        env.globals.pop(name, None)
    # `date | day`: December 3, 2026; `date | day(weekday=true)`: Thursday, December 3, 2026.
    filters = {**env.filters, "day": day_words}
    env.filters = {name: _bounded_filter(f) for name, f in filters.items()}
    return env


class Templates:
    """A layout's templates, rendered block by block into paragraphs of words."""

    def __init__(self, env: _Sandbox, default: Path):
        self.env, self.default = env, default
        self._funcs: dict[str, dict[str, Callable]] = {}  # by template file
        self._busy: set[str] = set()  # templates whose blocks are being gathered
        self._by_file: dict[str, Any] = {}
        self._templates: dict[str, Any] = {}  # by name, as get_template found them
        self._started: float | None = None  # when the render under way began
        self._names: set[str] = set()  # the names the render under way was given

    def template(self, name: str):
        if name not in self._templates:
            with self._located(f"{name}.j2"):
                template = self.env.get_template(f"{name}.j2")
            self._by_file[template.filename] = template
            self._templates[name] = template
        return self._templates[name]

    def blocks_of(self, name: str) -> dict[str, Callable]:
        """Every block `name`.j2 has, its own, inherited and the built-in template's."""
        return self._block_funcs(self.template(name))

    @contextlib.contextmanager
    def watched(self) -> Iterator[None]:
        """While inside, a template render that runs past SECONDS is stopped: a timer looks
        in four times a second (main thread only: that is where signals arrive)."""
        if threading.current_thread() is not threading.main_thread() or not hasattr(
            signal, "setitimer"
        ):
            yield
            return

        def look(signum, frame):
            if self._started is not None and time.monotonic() - self._started > SECONDS:
                self._started = None
                raise _TooLong

        previous = signal.signal(signal.SIGALRM, look)
        signal.setitimer(signal.ITIMER_REAL, 0.25, 0.25)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)

    def render(
        self, name: str, blocks: tuple[str, ...], context: dict[str, Any]
    ) -> dict[str, Paragraphs]:
        """Several blocks of one template in one Jinja context (contexts are costly); each
        block's words split into paragraphs at blank lines."""
        template = self.template(name)
        funcs = self._block_funcs(template)
        out, block = {}, None
        self._started = time.monotonic()
        self._names = {*context, *self.env.globals}
        markup = Path(template.filename).stem not in PLAIN  # paragraphs, not plain words
        try:
            jinja_context = template.new_context(context)
            for block in blocks:
                if block not in funcs:
                    raise LayoutError.at(
                        template.filename,
                        f"no block '{block}'; expected {{% block {block} %}}…{{% endblock %}}",
                    )
                text = _joined(funcs[block](jinja_context))
                if markup:
                    self._check_tags(text, template.filename, block)
                out[block] = [p.strip() for p in _BLANK_LINE.split(text) if p.strip()]
        except BriefbookError:
            raise
        except Exception as err:
            raise self._problem(err, template.filename, block) from None
        finally:
            self._started = None
        return out

    def _check_tags(self, text: str, file: str, block: str) -> None:
        """Refuse a tag ReportLab would act on beyond setting type: <img> reads any file on
        the machine into the book, <onDraw> calls into the canvas, and a link may only go to
        the web, to an email address or to a place in the book. Data is escaped before it
        gets here, so every tag left is the template's own."""
        for found in _TAG.finditer(text):
            closing, name = found.group(1), found.group(2).lower()
            attrs = {k.lower(): v.strip("\"'") for k, v in _ATTR.findall(found.group(3))}
            why = _tag_refused(name, attrs, closing=bool(closing))
            if why is None:
                continue
            source = self.env.loader.sources.get(file, "")
            at = source.lower().find(f"<{name}")
            line = source.count("\n", 0, at) + 1 if at >= 0 else None
            raise LayoutError.at(file, why, line, f"block '{block}'")

    def _block_funcs(self, template) -> dict[str, Callable]:
        """The template's blocks, then those it inherits through {% extends %} (Jinja merges
        them only when a whole template renders, and we render block by block), then the
        built-in template's: a layout need not copy the blocks it does not change."""
        file = template.filename
        if file in self._funcs:
            return self._funcs[file]
        from jinja2 import nodes

        self._busy.add(file)
        funcs = dict(template.blocks)
        source = self.env.loader.sources[file]
        with self._located(file):
            parsed = self.env.parse(source) if "extends" in source else None
        for node in parsed.find_all(nodes.Extends) if parsed is not None else ():
            if isinstance(node.template, nodes.Const) and isinstance(node.template.value, str):
                value = node.template.value
                try:
                    self.env.loader.get_source(self.env, value)
                except TemplateNotFound:
                    raise LayoutError.at(
                        file,
                        f"extends '{value}', which is not found; expected a template of this "
                        "layout or a built-in one, named default/<name>.j2",
                        node.lineno,
                    ) from None
                parent = self.template(value.removesuffix(".j2"))
                if parent.filename in self._busy:
                    raise LayoutError.at(
                        file,
                        f"extends '{node.template.value}', which leads back to this template; "
                        'expected {% extends "default/<name>.j2" %}',
                        node.lineno,
                    )
                for name, func in self._block_funcs(parent).items():
                    funcs.setdefault(name, func)
        built_in = self.default / Path(file).name
        if built_in.exists() and Path(file).resolve() != built_in.resolve():
            default = self._block_funcs(self.template(f"default/{built_in.stem}"))
            for name, func in default.items():
                funcs.setdefault(name, func)
            # In the built-in template's order, whichever template wrote them; new ones last.
            funcs = {name: funcs[name] for name in [*default, *funcs] if name in funcs}
        self._busy.discard(file)
        self._funcs[file] = funcs
        return funcs

    @contextlib.contextmanager
    def _located(self, file: str, block: str | None = None) -> Iterator[None]:
        """Any failure inside becomes a LayoutError at the template line that failed."""
        try:
            yield
        except BriefbookError:
            raise
        except Exception as err:
            raise self._problem(err, file, block) from None

    def _problem(self, err: Exception, file: str, block: str | None) -> LayoutError:
        if isinstance(err, TemplateSyntaxError):
            return LayoutError.at(err.filename or file, err.message or str(err), err.lineno)
        where, line = self._where(err, file)  # anything a template's own code can raise
        if isinstance(err, TemplateNotFound):
            return LayoutError.at(
                where,
                f"template '{err.name}' not found; expected a template file of this layout "
                "(such as mayor.j2) or a built-in one, named default/<name>.j2",
                line,
            )
        if isinstance(err, UndefinedError) and self._names and "is undefined" in str(err):
            names = ", ".join(sorted(self._names))
            why = f"{err}; expected one of the names a template is given: {names}"
            return LayoutError.at(where, why, line, f"block '{block}'" if block else "")
        return LayoutError.at(where, _explain(err), line, f"block '{block}'" if block else "")

    def _where(self, err: Exception, file: str) -> tuple[str, int | None]:
        """The file and line of the template line that failed, or the template's file."""
        for frame in reversed(traceback.extract_tb(err.__traceback__)):
            owner = self._by_file.get(frame.filename)
            if owner is not None:
                return frame.filename, owner.get_corresponding_lineno(frame.lineno)
        return file, None


_TAG = re.compile(r"<\s*(/?)\s*([A-Za-z][\w.:-]*)([^>]*)>")
_ATTR = re.compile(r"([\w:-]+)\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)")
_TAGS = {  # what a template may print, and the attributes each may carry
    **dict.fromkeys(("b", "i", "u", "strike", "strong", "em", "super", "sup", "sub", "br"), ()),
    **dict.fromkeys(("font", "span"), ("face", "name", "size", "color")),
    "a": ("href", "color"),
}
LINK_STARTS = (*WEB_LINKS, "#")  # and a place in the book


def _tag_refused(name: str, attrs: dict[str, str], closing: bool) -> str | None:
    allowed = ", ".join(f"<{t}>" for t in ("b", "i", "u", "strike", "super", "sub", "font", "a"))
    if name not in _TAGS:
        return (
            f"the words hold a <{name}> tag, which a template may not print; expected only "
            f"{allowed} and <br/>"
        )
    if closing:
        return None
    extra = sorted(set(attrs) - set(_TAGS[name]))
    if extra:
        return (
            f"<{name}> has the attribute '{extra[0]}'; expected only "
            f"{', '.join(_TAGS[name]) or 'none'}"
        )
    for key in ("face", "name"):
        # A font from a file, by the name fontfiles gives it (the fallbacks for rare
        # characters are registered only after the words render), never one of the PDF's 14.
        if key in attrs and not is_registered_name(attrs[key]):
            return (
                f'<{name} {key}="{attrs[key]}"> names no font of this layout (the PDF\'s own '
                "fonts are never embedded); set the font in the block's style instead"
            )
    href = attrs.get("href")
    if name == "a" and not (href or "").lower().startswith(LINK_STARTS):
        return (
            f"a link to '{href}'; expected an http://, https:// or mailto: address, or #name "
            "for a place in the book"
        )
    return None


def _joined(chunks: Iterator[str]) -> str:
    parts, total = [], 0
    for chunk in chunks:
        total += len(chunk)
        if total > MAX_BLOCK_CHARS:
            raise _Bounded(f"the block printed more than {MAX_BLOCK_CHARS:,} characters")
        parts.append(chunk)
    return "".join(parts)


def _explain(err: Exception) -> str:
    if isinstance(err, _TooLong):
        return (
            f"the template ran for more than {SECONDS:g} seconds; expected it to finish "
            "(a loop that runs too long?)"
        )
    if isinstance(err, RecursionError):
        return "the template calls itself (or templates extend each other) without end"
    if isinstance(err, _Bounded | TemplateError):
        return str(err)
    if isinstance(err, MemoryError):
        return "the template ran out of memory"
    return f"{type(err).__name__}: {err}"
