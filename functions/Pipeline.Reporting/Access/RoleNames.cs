namespace Pipeline.Reporting.Access;

/// <summary>The names of the roles as the API writes them (<c>reporter</c>, <c>official</c>, <c>admin</c>).</summary>
public static class RoleNames
{
    /// <summary>
    /// Exactly one role's name (any case). <c>Enum.TryParse</c> would also read a number or a list
    /// (<c>"reporter, admin"</c> is Reporter | Admin, which is Admin).
    /// </summary>
    public static bool TryParse(string? text, out Role role)
    {
        foreach (var candidate in Enum.GetValues<Role>())
        {
            if (string.Equals(text, candidate.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                role = candidate;
                return true;
            }
        }

        role = default;
        return false;
    }
}
