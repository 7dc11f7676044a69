"""The operation depth limit, counting introspection fields too.

strawberry's ``QueryDepthLimiter`` skips every ``__``-field, so with introspection on (debug)
``__type { fields { type { fields { ... } } } }`` could nest without bound, each level
multiplying the work. Here introspection fields count like any other, except the ``ofType``
chain: a type's wrappers (non-null, list) are finite, so it adds no work per level, and
GraphiQL's own introspection query nests it deeper than any real query needs.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
)

UNCOUNTED_FIELDS = frozenset({"ofType"})


def depth_limit_rule(max_depth: int) -> type[ValidationRule]:
    class DepthLimit(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self.fragments = {
                definition.name.value: definition
                for definition in context.document.definitions
                if isinstance(definition, FragmentDefinitionNode)
            }

        def enter_operation_definition(self, node: OperationDefinitionNode, *args: Any) -> None:
            if self._depth(node.selection_set, frozenset()) > max_depth:
                name = node.name.value if node.name else "anonymous"
                self.report_error(
                    GraphQLError(f"'{name}' exceeds maximum operation depth of {max_depth}", node)
                )

        def _depth(self, selection_set: SelectionSetNode | None, seen: frozenset[str]) -> int:
            deepest = 0
            for selection in selection_set.selections if selection_set else ():
                if isinstance(selection, FieldNode):
                    if selection.selection_set is None:
                        continue
                    own = 0 if selection.name.value in UNCOUNTED_FIELDS else 1
                    deepest = max(deepest, own + self._depth(selection.selection_set, seen))
                elif isinstance(selection, InlineFragmentNode):
                    deepest = max(deepest, self._depth(selection.selection_set, seen))
                elif isinstance(selection, FragmentSpreadNode):
                    name = selection.name.value
                    fragment = self.fragments.get(name)
                    if fragment is not None and name not in seen:
                        deepest = max(deepest, self._depth(fragment.selection_set, seen | {name}))
            return deepest

    return DepthLimit
