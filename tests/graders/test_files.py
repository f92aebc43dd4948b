"""The one bounded reader for every file kubedojo reads: regular files only, capped, never blocking."""

import os

import pytest

from graders.files import FileReadError, read_text_file, read_text_stream

LIMIT = 1024


def test_a_regular_file_is_read_and_a_byte_order_mark_dropped(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_bytes(b"\xef\xbb\xbfkind: Pod\n")
    assert read_text_file(path, LIMIT) == "kind: Pod\n"


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    with pytest.raises(FileReadError, match="FIFO"):
        read_text_file(fifo, LIMIT)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null", "/dev/urandom"])
def test_a_character_device_is_refused(device):
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    with pytest.raises(FileReadError, match="character device"):
        read_text_file(device, LIMIT)


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(FileReadError, match="folder"):
        read_text_file(tmp_path, LIMIT)


def test_a_missing_file_names_the_reason(tmp_path):
    with pytest.raises(FileReadError, match="No such file"):
        read_text_file(tmp_path / "nope.yaml", LIMIT)


def test_a_file_over_the_limit_cut_inside_a_character_is_too_large_not_bad_text(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a" * (LIMIT - 1) + "가".encode())  # the limit falls inside the 3-byte character
    with pytest.raises(FileReadError, match="larger than 1 KiB"):
        read_text_file(path, LIMIT)


def test_bad_utf8_names_its_line(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"kind: Pod\nname: caf\xe9\n")
    with pytest.raises(FileReadError, match=r"not UTF-8 text \(line 2, byte 10") as err:
        read_text_file(path, LIMIT)
    assert err.value.line == 2


def test_a_link_out_of_a_folder_is_refused_when_the_folder_is_given(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("password")
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "x.yaml").symlink_to(secret)
    (pack / "inner.yaml").write_text("kind: Pod\n")
    (pack / "y.yaml").symlink_to(pack / "inner.yaml")
    with pytest.raises(FileReadError, match="outside") as err:
        read_text_file(pack / "x.yaml", LIMIT, inside=pack)
    assert "password" not in str(err.value)
    assert read_text_file(pack / "y.yaml", LIMIT, inside=pack) == "kind: Pod\n"
    assert read_text_file(pack / "x.yaml", LIMIT) == "password"  # without `inside`, links are the user's business


def test_a_stream_over_the_limit_is_too_large(tmp_path):
    with open("/dev/zero", "rb") as endless:
        with pytest.raises(FileReadError, match="larger than"):
            read_text_stream(endless, LIMIT)
