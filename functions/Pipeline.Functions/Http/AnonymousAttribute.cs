namespace Pipeline.Functions.Http;

/// <summary>
/// An HTTP function that anyone may call without a token (health, the catalogue, static pages, enrolment), declared
/// on its method like <see cref="RolesAttribute"/>, so that every HTTP function says who may call it.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class AnonymousAttribute : Attribute;
