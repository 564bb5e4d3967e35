using System.Reflection;
using Pipeline.Reporting.Access;

namespace Pipeline.Functions.Http;

/// <summary>Who may call an HTTP function, read from the <see cref="RolesAttribute"/> or <see cref="AnonymousAttribute"/> on its method.</summary>
public static class FunctionAccess
{
    /// <summary>The roles <paramref name="method"/> admits; empty when anyone may call it.</summary>
    /// <exception cref="InvalidOperationException">The method declares neither attribute, or both.</exception>
    public static IReadOnlyList<Role> RolesOf(MethodInfo method)
    {
        var roles = method.GetCustomAttribute<RolesAttribute>();
        var anonymous = method.GetCustomAttribute<AnonymousAttribute>() is not null;
        return (roles, anonymous) switch
        {
            ({ Roles.Count: > 0 }, false) => roles.Roles,
            (null, true) => [],
            _ => throw new InvalidOperationException(
                $"{method.DeclaringType?.Name}.{method.Name} must declare who may call it: [Roles(...)] with at least one role, or [Anonymous]."),
        };
    }

    /// <summary>The method <paramref name="name"/> of <paramref name="function"/>'s class: the function a guarded call comes from.</summary>
    public static MethodInfo MethodOf(object function, string name) =>
        function.GetType().GetMethod(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            ?? throw new InvalidOperationException($"{function.GetType().Name} has no public method {name}.");
}
