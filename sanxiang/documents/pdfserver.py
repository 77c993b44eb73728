"""The resident PDF converter: one LibreOffice kept running and driven over UNO, so a document's PDF
costs its conversion (a few hundred milliseconds), not LibreOffice's start (seconds).

This file is a program for the Python that has LibreOffice's ``uno`` module (Debian's python3-uno,
``SANXIANG_UNO_PYTHON``); it imports nothing of the platform and nothing outside the standard library
and ``uno``. ``sanxiang.documents.render`` starts it the first time a PDF is asked for and talks to it
over a Unix socket: a request is the DOCX (8-byte big-endian length, then the bytes), the answer is one
status byte (``0`` the PDF follows, ``1`` an error message follows), a length and the bytes. An empty
request asks it to stop: the answer comes once the socket is removed and LibreOffice has exited, and
its body is the server's process id (the client waits for it to exit too).

It serves one conversion at a time (LibreOffice is single-threaded), and it stops — LibreOffice with
it — after ``--idle`` seconds without a request, or when LibreOffice dies; the next PDF starts it again.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]

HEADER = struct.Struct(">Q")
OK, ERROR = b"0", b"1"


def _prop(name: str, value: object) -> PropertyValue:
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


def _read_exact(conn: socket.socket, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = conn.recv(min(left, 1 << 20))
        if not chunk:
            raise ConnectionError("the client went away")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _die_with_this_server() -> None:
    """In the LibreOffice child: killed when this server dies, however it dies (Linux prctl
    PR_SET_PDEATHSIG), so no orphan keeps the profile locked from the next server."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)


def _adopt_orphans() -> None:
    """This server becomes the parent of LibreOffice's processes whose own parent exits (Linux prctl
    PR_SET_CHILD_SUBREAPER), so that it can wait for every one of them when it stops."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(36, 1)


def _start_office(soffice: str, profile: str, pipe: str) -> subprocess.Popen:
    return subprocess.Popen(
        [
            soffice,
            f"-env:UserInstallation={uno.systemPathToFileUrl(profile)}",
            "--headless",
            "--invisible",
            "--nologo",
            "--nodefault",
            "--norestore",
            "--nolockcheck",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=_die_with_this_server,
        start_new_session=True,  # its own process group, stopped as one (see serve)
    )


def _desktop(pipe: str, office: subprocess.Popen, start_timeout: float):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + start_timeout
    while True:
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        except NoConnectException:
            if office.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _convert(desktop, docx: bytes, workdir: str):
    """(the PDF, the open document): the caller answers first and closes the document after (closing
    takes a fifth of the time and nobody waits for it)."""
    source, target = os.path.join(workdir, "document.docx"), os.path.join(workdir, "document.pdf")
    with open(source, "wb") as f:
        f.write(docx)
    doc = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(source),
        "_blank",
        0,
        (_prop("Hidden", True), _prop("ReadOnly", True), _prop("FilterName", "MS Word 2007 XML")),
    )
    if doc is None:
        raise RuntimeError("LibreOffice could not open the DOCX")
    try:
        doc.storeToURL(uno.systemPathToFileUrl(target), (_prop("FilterName", "writer_pdf_Export"),))
        with open(target, "rb") as f:
            pdf = f.read()
        os.unlink(target)
    except Exception:
        doc.close(True)
        raise
    return pdf, doc


def _bind(path: str) -> socket.socket | None:
    """The listening socket, or None when another server already answers on ``path``."""
    if os.path.exists(path):
        probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            probe.connect(path)
            return None
        except OSError:
            os.unlink(path)  # left by a server that died
        finally:
            probe.close()
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(16)
    return server


def _office_stop(office: subprocess.Popen, desktop) -> None:
    """LibreOffice gone, its whole process group (soffice is a wrapper whose soffice.bin child does
    the work), so that the next server can take the profile at once."""
    if desktop is not None:
        with contextlib.suppress(Exception):
            desktop.terminate()
    with contextlib.suppress(Exception):
        office.wait(timeout=10)
    with contextlib.suppress(OSError):
        os.killpg(office.pid, signal.SIGKILL)
    with contextlib.suppress(Exception):
        office.wait(timeout=10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # the group's other processes, adopted (_adopt_orphans)
        try:
            pid, _ = os.waitpid(-office.pid, os.WNOHANG)
        except ChildProcessError:
            break  # none left
        if pid == 0:
            time.sleep(0.02)


def serve(*, path: str, soffice: str, profile: str, idle: float, start_timeout: float) -> int:
    pipe = f"sanxiang-pdf-{os.getpid()}"
    _adopt_orphans()
    office = _start_office(soffice, profile, pipe)
    server: socket.socket | None = None
    desktop = None
    done = False

    def shut_down() -> None:
        """Once: the socket removed (only by the server that bound it: a new server may own the path
        later) and LibreOffice stopped."""
        nonlocal done
        if done:
            return
        done = True
        if server is not None:
            with contextlib.suppress(OSError):
                os.unlink(path)
            server.close()
        _office_stop(office, desktop)

    try:
        desktop = _desktop(pipe, office, start_timeout)
        server = _bind(path)  # bound once LibreOffice answers: a client that connects is served
        if server is None:
            return 0
        server.settimeout(idle)
        with tempfile.TemporaryDirectory(prefix="sanxiang-pdfserver-") as workdir:
            while office.poll() is None:
                try:
                    conn, _ = server.accept()
                except TimeoutError:
                    break  # idle: stop until the next PDF is asked for
                with conn:
                    conn.settimeout(None)
                    try:
                        size = HEADER.unpack(_read_exact(conn, HEADER.size))[0]
                        docx = _read_exact(conn, size)
                    except (ConnectionError, struct.error):
                        continue
                    if size == 0:  # asked to stop: answered once the socket and LibreOffice are gone
                        shut_down()
                        pid = str(os.getpid()).encode()
                        with contextlib.suppress(OSError):
                            conn.sendall(OK + HEADER.pack(len(pid)) + pid)
                        return 0
                    opened = None
                    try:
                        body, opened = _convert(desktop, docx, workdir)
                        status = OK
                    except Exception as exc:  # any UNO error: answer it, then see if LibreOffice lives
                        status, body = ERROR, f"{type(exc).__name__}: {exc}".encode()
                    with contextlib.suppress(OSError):
                        conn.sendall(status + HEADER.pack(len(body)) + body)
                if opened is not None:
                    with contextlib.suppress(Exception):
                        opened.close(True)
        return 0
    finally:
        shut_down()


def _stop(signum, frame) -> None:
    raise SystemExit(0)  # through serve()'s finally: LibreOffice stopped, the socket removed


def main(argv: list[str]) -> int:
    signal.signal(signal.SIGTERM, _stop)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--socket", required=True)
    parser.add_argument("--soffice", default="soffice")
    parser.add_argument("--profile", required=True)
    parser.add_argument("--idle", type=float, default=600.0)
    parser.add_argument("--start-timeout", type=float, default=120.0)
    args = parser.parse_args(argv)
    return serve(
        path=args.socket,
        soffice=args.soffice,
        profile=args.profile,
        idle=args.idle,
        start_timeout=args.start_timeout,
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
