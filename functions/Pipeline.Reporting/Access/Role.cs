namespace Pipeline.Reporting.Access;

public enum Role
{
    Reporter,
    Official,
    Admin,
}
