"""Offline by default: the test network guard holds, and nothing in the offline path reaches for the network."""

import socket
import subprocess
import sys

import pytest


def test_the_network_is_blocked_except_loopback():
    with pytest.raises(Exception) as err:
        socket.create_connection(("93.184.216.34", 80), timeout=1)
    assert "Socket" in type(err.value).__name__ or "blocked" in str(err.value).lower()


def test_an_offline_consultation_never_opens_a_network_socket(tmp_path):
    """A whole consultation in a subprocess whose socket.connect refuses anything but loopback and unix sockets."""
    script = (
        "import socket\n"
        "real = socket.socket.connect\n"
        "def guard(self, address):\n"
        "    host = address[0] if isinstance(address, tuple) else address\n"
        "    if isinstance(host, str) and host not in ('127.0.0.1', 'localhost', '::1') and not host.startswith('/'):\n"
        "        raise RuntimeError(f'network access attempted: {address}')\n"
        "    return real(self, address)\n"
        "socket.socket.connect = guard\n"
        "from consultant import Consultant\n"
        "c = Consultant()\n"
        "for text in ['It needs to know our handbook and policy docs.', 'weekly',\n"
        "             'what is re-ranking?', 'just give me your recommendation']:\n"
        "    c.reply('offline', text)\n"
        "print(c.state('offline').recommendation.label)\n"
    )
    env = {"CONSULTANT_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=240, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "rag"
