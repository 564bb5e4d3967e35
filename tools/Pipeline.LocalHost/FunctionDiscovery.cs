using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace Pipeline.LocalHost;

/// <summary>
/// Finds the functions of an app by their <see cref="FunctionAttribute"/> and trigger attributes:
/// the same source the Worker SDK reads to write functions.metadata, so there is no second route table.
/// </summary>
public static class FunctionDiscovery
{
    private static readonly string[] AllMethods = ["get", "post", "put", "delete", "patch", "head", "options"];

    public static IEnumerable<(string Name, MethodInfo Method)> Functions(Assembly assembly) => Functions(assembly.GetTypes());

    public static IEnumerable<(string Name, MethodInfo Method)> Functions(IEnumerable<Type> types) =>
        from type in types
        from method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
        let function = method.GetCustomAttribute<FunctionAttribute>()
        where function is not null
        select (function.Name, method);

    public static IReadOnlyList<HttpFunction> HttpFunctions(Assembly assembly) => HttpFunctions(assembly.GetTypes());

    public static IReadOnlyList<HttpFunction> HttpFunctions(IEnumerable<Type> types) =>
        (from function in Functions(types)
         let trigger = function.Method.GetParameters()
             .Select(p => p.GetCustomAttribute<HttpTriggerAttribute>())
             .FirstOrDefault(a => a is not null)
         where trigger is not null
         select new HttpFunction(
             function.Name,
             function.Method,
             // As the host does: a function without a route is served on its name.
             string.IsNullOrWhiteSpace(trigger.Route) ? function.Name : trigger.Route,
             trigger.Methods is { Length: > 0 } methods ? methods.Select(m => m.ToLowerInvariant()).ToList() : AllMethods,
             trigger.AuthLevel))
        .ToList();

    public static IReadOnlyList<TimerFunction> TimerFunctions(Assembly assembly) =>
        Functions(assembly).Select(f => TimerFunction.From(f.Name, f.Method)).OfType<TimerFunction>().ToList();
}
