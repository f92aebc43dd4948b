"""kubectl-style JSONPath: concrete paths, names for list items, and refusing index paths."""

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
