namespace Jsonata.Parsing;

internal sealed partial class AstProcessor
{
    private Node ProcessBinary(Node expr)
    {
        Node result;
        switch (expr.Text)
        {
            case ".":
                {
                    var lstep = ProcessNode(expr.Lhs!);
                    result = lstep.Type == NodeType.Path ? lstep : new Node(NodeType.Path, null, lstep.Position) { Steps = [lstep] };
                    if (lstep.Type == NodeType.Parent)
                    {
                        result.SeekingParent = [lstep.Slot!];
                    }

                    var rest = ProcessNode(expr.Rhs!);
                    if (rest.Type == NodeType.Path)
                    {
                        result.Steps!.AddRange(rest.Steps!);
                    }
                    else
                    {
                        if (rest.Predicate != null)
                        {
                            rest.Stages = rest.Predicate;
                            rest.Predicate = null;
                        }

                        result.Steps!.Add(rest);
                    }

                    foreach (var step in result.Steps!)
                    {
                        if (step.Type is NodeType.Number or NodeType.Value)
                        {
                            throw new JsonataException("S0213", step.Position, null, step.Value);
                        }

                        if (step.Type == NodeType.String)
                        {
                            step.Type = NodeType.Name;
                        }
                    }

                    if (result.Steps.Any(s => s.KeepArray))
                    {
                        result.KeepSingletonArray = true;
                    }

                    var first = result.Steps[0];
                    if (first.Type == NodeType.Unary && first.Text == "[")
                    {
                        first.ConsArray = true;
                    }

                    var last = result.Steps[^1];
                    if (last.Type == NodeType.Unary && last.Text == "[")
                    {
                        last.ConsArray = true;
                    }

                    ResolveAncestry(result);
                    break;
                }

            case "[":
                {
                    result = ProcessNode(expr.Lhs!);
                    var step = result;
                    var useStages = false;
                    if (result.Type == NodeType.Path)
                    {
                        step = result.Steps![^1];
                        useStages = true;
                    }

                    if (step.Group != null)
                    {
                        throw new JsonataException("S0209", expr.Position);
                    }

                    var predicate = ProcessNode(expr.Rhs!);
                    if (predicate.SeekingParent != null)
                    {
                        foreach (var slot in predicate.SeekingParent)
                        {
                            if (slot.Level == 1)
                            {
                                SeekParent(step, slot);
                            }
                            else
                            {
                                slot.Level--;
                            }
                        }

                        PushAncestry(step, predicate);
                    }

                    var stage = new Stage(false, predicate, null, expr.Position);
                    if (useStages)
                    {
                        (step.Stages ??= []).Add(stage);
                    }
                    else
                    {
                        (step.Predicate ??= []).Add(stage);
                    }

                    break;
                }

            case "{":
                result = ProcessNode(expr.Lhs!);
                if (result.Group != null)
                {
                    throw new JsonataException("S0210", expr.Position);
                }

                result.Group = new GroupSpec(
                    expr.Pairs!.Select(p => (ProcessNode(p.Key), ProcessNode(p.Value))).ToList(),
                    expr.Position);
                break;
            case "^":
                {
                    result = ProcessNode(expr.Lhs!);
                    if (result.Type != NodeType.Path)
                    {
                        result = new Node(NodeType.Path, null, result.Position) { Steps = [result] };
                    }

                    var sortStep = new Node(NodeType.Sort, null, expr.Position) { Terms = [] };
                    foreach (var term in expr.Terms!)
                    {
                        var expression = ProcessNode(term.Expression);
                        PushAncestry(sortStep, expression);
                        sortStep.Terms.Add(new SortTerm(term.Descending, expression));
                    }

                    result.Steps!.Add(sortStep);
                    ResolveAncestry(result);
                    break;
                }

            case ":=":
                result = new Node(NodeType.Bind, expr.Value, expr.Position)
                {
                    Lhs = ProcessNode(expr.Lhs!),
                    Rhs = ProcessNode(expr.Rhs!),
                };
                PushAncestry(result, result.Rhs);
                break;
            case "@":
                {
                    result = ProcessNode(expr.Lhs!);
                    var step = result;
                    if (result.Type == NodeType.Path)
                    {
                        step = result.Steps![^1];
                    }

                    if (step.Stages != null || step.Predicate != null)
                    {
                        throw new JsonataException("S0215", expr.Position);
                    }

                    if (step.Type == NodeType.Sort)
                    {
                        throw new JsonataException("S0216", expr.Position);
                    }

                    if (expr.KeepArray)
                    {
                        step.KeepArray = true;
                    }

                    step.Focus = expr.Rhs!.Text;
                    step.Tuple = true;
                    break;
                }

            case "#":
                {
                    result = ProcessNode(expr.Lhs!);
                    var step = result;
                    if (result.Type == NodeType.Path)
                    {
                        step = result.Steps![^1];
                    }
                    else
                    {
                        result = new Node(NodeType.Path, null, result.Position) { Steps = [result] };
                        if (step.Predicate != null)
                        {
                            step.Stages = step.Predicate;
                            step.Predicate = null;
                        }
                    }

                    if (step.Stages == null)
                    {
                        step.Index = expr.Rhs!.Text;
                    }
                    else
                    {
                        step.Stages.Add(new Stage(true, null, expr.Rhs!.Text, expr.Position));
                    }

                    step.Tuple = true;
                    break;
                }

            case "~>":
                result = new Node(NodeType.Apply, expr.Value, expr.Position)
                {
                    Lhs = ProcessNode(expr.Lhs!),
                    Rhs = ProcessNode(expr.Rhs!),
                };
                result.KeepArray = result.Lhs.KeepArray || result.Rhs.KeepArray;
                break;
            default:
                result = new Node(NodeType.Binary, expr.Value, expr.Position)
                {
                    Lhs = ProcessNode(expr.Lhs!),
                    Rhs = ProcessNode(expr.Rhs!),
                };
                PushAncestry(result, result.Lhs);
                PushAncestry(result, result.Rhs);
                break;
        }

        return result;
    }
}
