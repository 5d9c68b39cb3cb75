namespace Dispatch.Common;

public enum AccountRole
{
    Admin,
    Staff,
    Volunteer,
}

/// <summary>
/// Who performs an operation. The web host builds it from the verified token and has already
/// checked role and place scope; grains record it and apply the rules that only they can know
/// (such as whether the actor holds a claim).
/// </summary>
[GenerateSerializer, Immutable, Alias("Dispatch.Actor")]
public sealed record Actor(string Username, AccountRole Role)
{
    public bool IsStaff => Role is AccountRole.Staff or AccountRole.Admin;
}
