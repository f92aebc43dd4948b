"""The three patch types of `kubectl patch`, on the examples of their specifications and of the API server."""

import pytest

from graders.kubectl_patch import PatchError, json_patch, merge_patch, strategic_merge_patch

# RFC 7386, appendix A: (target, patch, result).
MERGE = [
    ({"a": "b"}, {"a": "c"}, {"a": "c"}),
    ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
    ({"a": "b"}, {"a": None}, {}),
    ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
    ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
    ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
    ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
    ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
    (["a", "b"], ["c", "d"], ["c", "d"]),
    ({"a": "b"}, ["c"], ["c"]),
    ({"a": "foo"}, None, None),
    ({"a": "foo"}, "bar", "bar"),
    ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
    ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
    ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
]


@pytest.mark.parametrize(("target", "patch", "result"), MERGE)
def test_merge_patch_rfc7386(target, patch, result):
    assert merge_patch(target, patch) == result


# RFC 6902, appendix A.
JSON = [
    pytest.param({"foo": "bar"}, [{"op": "add", "path": "/baz", "value": "qux"}], {"baz": "qux", "foo": "bar"}, id="A.1-add-member"),
    pytest.param({"foo": ["bar", "baz"]}, [{"op": "add", "path": "/foo/1", "value": "qux"}], {"foo": ["bar", "qux", "baz"]}, id="A.2-add-item"),
    pytest.param({"baz": "qux", "foo": "bar"}, [{"op": "remove", "path": "/baz"}], {"foo": "bar"}, id="A.3-remove-member"),
    pytest.param({"foo": ["bar", "qux", "baz"]}, [{"op": "remove", "path": "/foo/1"}], {"foo": ["bar", "baz"]}, id="A.4-remove-item"),
    pytest.param({"baz": "qux", "foo": "bar"}, [{"op": "replace", "path": "/baz", "value": "boo"}], {"baz": "boo", "foo": "bar"}, id="A.5-replace"),
    pytest.param({"foo": {"bar": "baz", "waldo": "fred"}, "qux": {"corge": "grault"}},
                 [{"op": "move", "from": "/foo/waldo", "path": "/qux/thud"}],
                 {"foo": {"bar": "baz"}, "qux": {"corge": "grault", "thud": "fred"}}, id="A.6-move"),
    pytest.param({"foo": ["all", "grass", "cows", "eat"]}, [{"op": "move", "from": "/foo/1", "path": "/foo/3"}],
                 {"foo": ["all", "cows", "eat", "grass"]}, id="A.7-move-item"),
    pytest.param({"baz": "qux", "foo": ["a", 2, "c"]}, [{"op": "test", "path": "/baz", "value": "qux"},
                                                       {"op": "test", "path": "/foo/1", "value": 2}],
                 {"baz": "qux", "foo": ["a", 2, "c"]}, id="A.8-test"),
    pytest.param({"foo": "bar"}, [{"op": "add", "path": "/child", "value": {"grandchild": {}}}],
                 {"foo": "bar", "child": {"grandchild": {}}}, id="A.10-add-object"),
    pytest.param({"foo": ["bar"]}, [{"op": "add", "path": "/foo/-", "value": ["abc", "def"]}],
                 {"foo": ["bar", ["abc", "def"]]}, id="A.16-append"),
    pytest.param({"/": 9, "~1": 10}, [{"op": "test", "path": "/~01", "value": 10}], {"/": 9, "~1": 10}, id="A.14-escapes"),
]


@pytest.mark.parametrize(("target", "patch", "result"), JSON)
def test_json_patch_rfc6902(target, patch, result):
    assert json_patch(target, patch) == result


@pytest.mark.parametrize(("target", "patch"), [
    pytest.param({"baz": "qux"}, [{"op": "test", "path": "/baz", "value": "bar"}], id="A.9-test-fails"),
    pytest.param({"foo": "bar"}, [{"op": "add", "path": "/baz/bat", "value": "qux"}], id="A.12-no-parent"),
    pytest.param({"foo": ["bar"]}, [{"op": "replace", "path": "/foo/5", "value": 1}], id="index-out-of-range"),
    pytest.param({"foo": "bar"}, [{"op": "remove", "path": "/nope"}], id="remove-missing"),
    pytest.param({"foo": "bar"}, [{"op": "jump", "path": "/foo"}], id="unknown-op"),
    pytest.param({"foo": "bar"}, {"op": "add"}, id="not-a-list"),
])
def test_json_patch_refuses(target, patch):
    with pytest.raises(PatchError):
        json_patch(target, patch)


DEPLOYMENT = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "labels": {"app": "web"}},
              "spec": {"replicas": 3, "template": {"spec": {"containers": [
                  {"name": "nginx", "image": "nginx:1.25", "ports": [{"containerPort": 80}],
                   "env": [{"name": "A", "value": "1"}]},
                  {"name": "sidecar", "image": "busybox"}]}}}}


def containers(obj):
    return obj["spec"]["template"]["spec"]["containers"]


def test_strategic_merges_containers_by_name():
    patched = strategic_merge_patch(DEPLOYMENT, {"spec": {"template": {"spec": {"containers": [{"name": "nginx", "image": "nginx:1.26"}]}}}})
    assert [(c["name"], c["image"]) for c in containers(patched)] == [("nginx", "nginx:1.26"), ("sidecar", "busybox")]
    assert containers(patched)[0]["ports"] == [{"containerPort": 80}]  # the rest of the item stays
    assert containers(DEPLOYMENT)[0]["image"] == "nginx:1.25"  # the original is not touched


def test_merge_patch_replaces_the_list_the_strategic_one_merges():
    patched = merge_patch(DEPLOYMENT, {"spec": {"template": {"spec": {"containers": [{"name": "nginx", "image": "nginx:1.26"}]}}}})
    assert containers(patched) == [{"name": "nginx", "image": "nginx:1.26"}]


@pytest.mark.parametrize(("patch", "check"), [
    pytest.param({"spec": {"template": {"spec": {"containers": [{"name": "sidecar", "$patch": "delete"}]}}}},
                 lambda o: [c["name"] for c in containers(o)] == ["nginx"], id="patch-delete-item"),
    pytest.param({"spec": {"template": {"spec": {"containers": [{"name": "x", "image": "y"}, {"$patch": "replace"}]}}}},
                 lambda o: containers(o) == [{"name": "x", "image": "y"}], id="patch-replace-list"),
    pytest.param({"spec": {"template": {"spec": {"containers": [{"name": "nginx", "env": [{"name": "B", "value": "2"}]}]}}}},
                 lambda o: containers(o)[0]["env"] == [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}], id="env-merged-by-name"),
    pytest.param({"spec": {"template": {"spec": {"containers": [{"name": "nginx", "ports": [{"containerPort": 8080}]}]}}}},
                 lambda o: containers(o)[0]["ports"] == [{"containerPort": 80}, {"containerPort": 8080}], id="ports-merged-by-number"),
    pytest.param({"metadata": {"labels": {"app": None, "tier": "fe"}}}, lambda o: o["metadata"]["labels"] == {"tier": "fe"},
                 id="null-deletes-a-label"),
    pytest.param({"spec": {"replicas": 5}}, lambda o: o["spec"]["replicas"] == 5, id="scalar-replaced"),
])
def test_strategic_directives(patch, check):
    assert check(strategic_merge_patch(DEPLOYMENT, patch))


def test_strategic_replaces_lists_without_a_merge_key():
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
           "spec": {"containers": [{"name": "c", "image": "i"}], "tolerations": [{"key": "a", "operator": "Exists"}]}}
    patched = strategic_merge_patch(pod, {"spec": {"tolerations": [{"key": "b", "operator": "Exists"}]}})
    assert patched["spec"]["tolerations"] == [{"key": "b", "operator": "Exists"}]


def test_strategic_is_refused_for_custom_kinds():
    with pytest.raises(PatchError, match="not supported"):
        strategic_merge_patch({"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}}, {"spec": {}})


def test_strategic_needs_the_merge_key():
    with pytest.raises(PatchError, match="merge key"):
        strategic_merge_patch(DEPLOYMENT, {"spec": {"template": {"spec": {"containers": [{"image": "x"}]}}}})
