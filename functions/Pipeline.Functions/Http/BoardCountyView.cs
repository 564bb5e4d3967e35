namespace Pipeline.Functions.Http;

public sealed record BoardCountyView(string Code, string Name, int Expected, int Reported, int OnTime, int Late, int Missing, int Exempt);
