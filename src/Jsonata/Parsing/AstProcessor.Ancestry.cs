
namespace Jsonata.Parsing;

internal sealed partial class AstProcessor
{
    private Slot SeekParent(Node node, Slot slot)
    {
        if (!System.Runtime.CompilerServices.RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw Errors.Limits.ExpressionTooDeep(node.Position);
        }

        switch (node.Type)
        {
            case NodeType.Name:
            case NodeType.Wildcard:
                slot.Level--;
                if (slot.Level == 0)
                {
                    if (node.Ancestor == null)
                    {
                        node.Ancestor = slot;
                    }
                    else
                    {
                        // reuse the existing label
                        _ancestry[slot.Index].Slot!.Label = node.Ancestor.Label;
                        node.Ancestor = slot;
                    }

                    node.Tuple = true;
                }

                break;
            case NodeType.Parent:
                slot.Level++;
                break;
            case NodeType.Block:
                if (node.Expressions!.Count > 0)
                {
                    node.Tuple = true;
                    slot = SeekParent(node.Expressions[^1], slot);
                }

                break;
            case NodeType.Path:
                {
                    node.Tuple = true;
                    var index = node.Steps!.Count - 1;
                    slot = SeekParent(node.Steps[index--], slot);
                    while (slot.Level > 0 && index >= 0)
                    {
                        slot = SeekParent(node.Steps[index--], slot);
                    }

                    break;
                }

            default:
                throw new JsonataException("S0217", node.Position, TypeName(node.Type));
        }

        return slot;
    }

    private static void PushAncestry(Node result, Node value)
    {
        if (value.SeekingParent != null || value.Type == NodeType.Parent)
        {
            var slots = value.SeekingParent ?? [];
            if (value.Type == NodeType.Parent)
            {
                slots.Add(value.Slot!);
            }

            if (result.SeekingParent == null)
            {
                result.SeekingParent = slots;
            }
            else
            {
                result.SeekingParent.AddRange(slots);
            }
        }
    }

    private void ResolveAncestry(Node path)
    {
        var index = path.Steps!.Count - 1;
        var laststep = path.Steps[index];
        var slots = laststep.SeekingParent ?? [];
        if (laststep.Type == NodeType.Parent)
        {
            slots.Add(laststep.Slot!);
        }

        foreach (var s in slots)
        {
            var slot = s;
            index = path.Steps.Count - 2;
            while (slot.Level > 0)
            {
                if (index < 0)
                {
                    (path.SeekingParent ??= []).Add(slot);
                    break;
                }

                var step = path.Steps[index--];
                while (index >= 0 && step.Focus != null && path.Steps[index].Focus != null)
                {
                    step = path.Steps[index--];
                }

                slot = SeekParent(step, slot);
            }
        }
    }
}
