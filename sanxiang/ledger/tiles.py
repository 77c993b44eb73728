"""The tree as C2SP tlog-tiles (https://c2sp.org/tlog-tiles): immutable files of 256 hashes each.

A tile at level L, index N holds W ≤ 256 consecutive hashes of tree level 8·L starting at hash
N·256 — leaf hashes for L = 0, hashes of 256-leaf subtrees for L = 1, and so on. Its path is
``tile/<L>/<N>[.p/<W>]`` with N in groups of three digits (``x001/x234/067``); a full tile never
changes and a partial tile of width W never changes either, so a CDN, the object store or an
auditor's mirror can hold them forever. Any subtree hash, hence any inclusion or consistency proof,
comes from at most two tiles per level.

The server writes the tiles when it signs a checkpoint (outside the database: an insider who
rewrites the database does not rewrite what mirrors already hold), and ``sanxiang verify`` and the
witness read them back. Entry bodies are *not* published as tiles (they hold personal data and are
scoped to their agency); only hashes are.

This module needs no Django (the witness and the standalone verifier use it).
"""

from __future__ import annotations

import os
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path

from sanxiang.ledger import merkle
from sanxiang.ledger.verifier import HashFn, ProofError, sm3

HEIGHT = 8
WIDTH = 1 << HEIGHT
HASH_SIZE = 32


def encode_index(index: int) -> str:
    """C2SP tlog-tiles path element of a tile index: ``1234067`` → ``x001/x234/067``."""
    if index < 0:
        raise ValueError("a tile index is not negative")
    digits = str(index)
    digits = digits.zfill(-(-len(digits) // 3) * 3)
    groups = [digits[i : i + 3] for i in range(0, len(digits), 3)]
    return "/".join([*(f"x{g}" for g in groups[:-1]), groups[-1]])


def tile_path(level: int, index: int, width: int = WIDTH) -> str:
    if not 1 <= width <= WIDTH:
        raise ValueError(f"a tile holds 1 to {WIDTH} hashes, not {width}")
    path = f"tile/{level}/{encode_index(index)}"
    return path if width == WIDTH else f"{path}.p/{width}"


def tile_width(level: int, index: int, size: int) -> int:
    """How many hashes tile (level, index) holds in a tree of ``size`` leaves (0: none yet)."""
    count = size >> (HEIGHT * level)
    return max(0, min(WIDTH, count - index * WIDTH))


def tiles_between(old_size: int, new_size: int) -> list[tuple[int, int, int]]:
    """(level, index, width) of every tile that growing the tree from old_size to new_size adds."""
    found = []
    level = 0
    while new_size >> (HEIGHT * level):
        old_count, new_count = old_size >> (HEIGHT * level), new_size >> (HEIGHT * level)
        if new_count > old_count:
            for index in range(old_count // WIDTH, (new_count - 1) // WIDTH + 1):
                found.append((level, index, tile_width(level, index, new_size)))
        level += 1
    return found


def write_tile(directory: Path, level: int, index: int, hashes: Sequence[bytes]) -> bool:
    """Write one tile once (atomic rename, read-only afterwards); False if it was already there."""
    path = directory / tile_path(level, index, len(hashes))
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(temporary, "wb") as handle:
        handle.write(b"".join(hashes))
        handle.flush()
        os.fsync(handle.fileno())
    temporary.chmod(0o444)
    os.replace(temporary, path)
    return True


Reader = Callable[[str], bytes | None]


def directory_reader(directory: Path) -> Reader:
    def read(path: str) -> bytes | None:
        try:
            return (Path(directory) / path).read_bytes()
        except FileNotFoundError:
            return None

    return read


def url_reader(base: str, timeout: float = 30) -> Reader:
    base = base.rstrip("/") + "/"

    def read(path: str) -> bytes | None:
        try:
            with urllib.request.urlopen(base + path, timeout=timeout) as response:  # noqa: S310 - operator's URL
                return response.read()
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return None
            raise

    return read


def reader_for(location: str | Path) -> Reader:
    text = str(location)
    if text.startswith(("http://", "https://")):
        return url_reader(text)
    return directory_reader(Path(text))


class TiledTree:
    """The tree of ``size`` leaves as its tiles say; every hash handed out is authenticated against
    ``root`` (the signed root of that size) before use, so a wrong or altered tile raises ProofError."""

    def __init__(self, read: Reader, size: int, root: bytes, hash_fn: HashFn = sm3):
        self.read, self.size, self.hash_fn = read, size, hash_fn
        self._tiles: dict[tuple[int, int], list[bytes]] = {}
        self._authentic: set[tuple[int, int]] = set()
        self._tile_levels: dict[tuple[int, int], list[list[bytes]]] = {}
        if size == 0:
            if root != hash_fn(b""):
                raise ProofError("the empty tree has another root")
            return
        keys = merkle.frontier_keys(size)
        got = merkle.fold(hash_fn, [self._node(level, index) for level, index in keys])
        if got != root:
            raise ProofError(f"the tiles do not give the signed root of the tree of {size} entries")
        # every partial tile took part in that fold: they are authentic now
        level = 0
        while size >> (HEIGHT * level):
            last = (size >> (HEIGHT * level)) // WIDTH
            if tile_width(level, last, size) < WIDTH:
                self._authentic.add((level, last))
            level += 1

    def _tile(self, level: int, index: int) -> list[bytes]:
        key = (level, index)
        if key not in self._tiles:
            width = tile_width(level, index, self.size)
            if width == 0:
                raise ProofError(f"tile {level}/{index} is beyond the tree of {self.size} entries")
            path = tile_path(level, index, width)
            data = self.read(path)
            if data is None and width < WIDTH:  # a mirror may hold the full tile instead
                full = self.read(tile_path(level, index))
                data = full[: width * HASH_SIZE] if full is not None else None
            if data is None or len(data) != width * HASH_SIZE:
                raise ProofError(f"{path}: missing or not {width} hashes")
            self._tiles[key] = [data[i : i + HASH_SIZE] for i in range(0, len(data), HASH_SIZE)]
        return self._tiles[key]

    def _levels(self, tile_level: int, index: int) -> list[list[bytes]]:
        """Every perfect subtree within a tile, level by level (the tile's hashes first): computed
        once per tile, so a proof costs each tile's 255 hashes at most once."""
        key = (tile_level, index)
        levels = self._tile_levels.get(key)
        if levels is None:
            levels = [self._tile(tile_level, index)]
            while len(levels[-1]) > 1:
                below = levels[-1]
                levels.append(
                    [
                        merkle.node_hash(self.hash_fn, below[i], below[i + 1])
                        for i in range(0, len(below) - 1, 2)
                    ]
                )
            self._tile_levels[key] = levels
        return levels

    def _node(self, level: int, index: int) -> bytes:
        """Hash of the perfect subtree (level, index) computed from one tile (not yet authenticated)."""
        tile_level, rest = divmod(level, HEIGHT)
        first = index << rest
        levels = self._levels(tile_level, first // WIDTH)
        position = (first % WIDTH) >> rest
        if rest >= len(levels) or position >= len(levels[rest]):
            raise ProofError(f"tiles do not hold subtree ({level}, {index})")
        return levels[rest][position]

    def tile(self, level: int, index: int) -> list[bytes]:
        """The hashes of tile (level, index), authenticated against the signed root."""
        key = (level, index)
        if key not in self._authentic:
            hashes = self._tile(level, index)
            if len(hashes) < WIDTH:
                raise ProofError(f"tile {level}/{index} should be full in a tree of {self.size} entries")
            parent = self.tile(level + 1, index // WIDTH)[index % WIDTH]
            if self._levels(level, index)[-1][0] != parent:
                raise ProofError(f"{tile_path(level, index)} does not hash to its entry in the tile above")
            self._authentic.add(key)
        return self._tiles[key]

    def node(self, level: int, index: int) -> bytes:
        """Authenticated hash of the perfect subtree (level, index)."""
        tile_level, rest = divmod(level, HEIGHT)
        first = index << rest
        self.tile(tile_level, first // WIDTH)
        return self._node(level, index)

    def leaf(self, index: int) -> bytes:
        return self.tile(0, index // WIDTH)[index % WIDTH]

    def nodes(self, keys: set[merkle.Key]) -> dict[merkle.Key, bytes]:
        return {key: self.node(*key) for key in keys}

    def inclusion_proof(self, index: int) -> list[bytes]:
        ranges = merkle.inclusion_ranges(index, self.size)
        return merkle.hashes_for(self.hash_fn, ranges, self.nodes(merkle.keys_for(ranges)))

    def consistency_proof(self, old_size: int) -> list[bytes]:
        ranges = merkle.consistency_ranges(old_size, self.size)
        return merkle.hashes_for(self.hash_fn, ranges, self.nodes(merkle.keys_for(ranges)))
