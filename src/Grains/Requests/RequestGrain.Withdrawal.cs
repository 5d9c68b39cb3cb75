namespace Dispatch.Requests;

// A volunteer whose account was disabled or moved leaves the request.
public sealed partial class RequestGrain
{
    public async Task<bool> WithdrawVolunteer(string volunteer, string by, string why)
    {
        if (Request is not { } request)
        {
            return false;
        }

        var before = request.Version;
        if (!request.WithdrawVolunteer(volunteer, by, why, time.GetUtcNow()))
        {
            return false;
        }

        await Store();
        if (request.Version != before)
        {
            await Stored(request, before);
        }

        return true;
    }
}
