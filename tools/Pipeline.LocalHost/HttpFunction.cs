using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace Pipeline.LocalHost;

/// <summary>An HTTP-triggered function as its own attributes declare it.</summary>
public sealed record HttpFunction(
    string Name,
    MethodInfo Method,
    string Route,
    IReadOnlyList<string> Methods,
    AuthorizationLevel AuthLevel);
