"""kubectl-style JSONPath: concrete paths, names for list items, and refusing index paths."""

import json

import pytest

from graders.paths import PathError, compile_path, display, display_expression, find, parent_path

POD = {
    "spec": {
        "containers": [
            {"name": "nginx-container", "image": "nginx:1.14", "ports": [{"containerPort": 80}]},
            {"name": "centos-container", "image": "centos:7"},
        ]
    }
}


@pytest.mark.parametrize(
    "expression",
    [
        '.spec.containers[?(@.name=="centos-container")].image',
        '{.spec.containers[?(@.name=="centos-container")].image}',
        '$.spec.containers[?(@.name=="centos-container")].image',
        'spec.containers[?(@.name=="centos-container")].image',
    ],
)
def test_kubectl_forms_find_the_same_value(expression):
    (found,) = find(POD, expression)
    assert found.value == "centos:7"
    assert found.path == ("spec", "containers", 1, "image")


def test_list_items_are_shown_by_name():
    assert display(POD, ("spec", "containers", 0, "ports", 0, "containerPort")) == "spec.containers[nginx-container].ports[0].containerPort"
    assert display_expression('.spec.containers[?(@.name=="web")].image') == "spec.containers[web].image"


@pytest.mark.parametrize("expression", [".spec.containers[0].image", ".spec.containers[:1].name", ".spec.containers[-1:].name", ".spec.containers[ 1 ].name"])
def test_index_paths_are_refused(expression):
    with pytest.raises(PathError, match="by name"):
        compile_path(expression)


def test_broken_paths_are_refused():
    with pytest.raises(PathError):
        compile_path(".spec.containers[?(@.name==")


def test_parent_path_is_the_deepest_existing_place():
    assert parent_path(POD, '.spec.containers[?(@.name=="nginx-container")].livenessProbe.exec') == ("spec", "containers", 0)
    assert parent_path(POD, '.spec.initContainers[?(@.name=="x")].image') == ("spec",)
    assert parent_path({}, ".spec.x") == ()


def test_the_parser_uses_no_deprecated_name_or_syntax():
    import warnings

    from graders import paths

    paths.compile_path.cache_clear()
    paths._parser.cache_clear()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        (found,) = find(POD, '{.spec.containers[?(@.name=="nginx-container")].ports[*].containerPort}')
    assert found.value == 80


@pytest.mark.parametrize("expression", ['.spec.containers[?(@.name=="web")].image', ".spec.containers[?(@.image)].name",
                                        '.spec.ports[?(@.port==80)].name'])
def test_a_filter_meeting_a_mapping_finds_nothing_and_leaves_the_answer_as_it_was(expression):
    obj = {"spec": {"containers": {"web": {"name": "web", "image": "nginx"}}, "ports": {"p": {"port": 80, "name": "h"}}}}
    before = json.loads(json.dumps(obj))
    assert find(obj, expression) == [] and obj == before  # kubectl filters lists only


def test_a_comparison_with_a_value_of_the_wrong_shape_skips_that_item():
    obj = {"spec": {"ports": [{"port": [80]}, {"port": {"x": 1}}, {"port": None}, {"port": 80}]}}
    assert [f.path for f in find(obj, ".spec.ports[?(@.port==80)].port")] == [("spec", "ports", 3, "port")]


def test_a_regex_filter_is_refused_at_compile_time():
    with pytest.raises(PathError, match="=~"):
        compile_path('.spec.containers[?(@.name=~"(a|aa)+")].image')
