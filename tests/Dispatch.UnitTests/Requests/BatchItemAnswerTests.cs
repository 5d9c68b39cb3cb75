using Dispatch.WebHost.Requests;

namespace Dispatch.UnitTests.Requests;

/// <summary>
/// One item of a batch that the cluster did not answer for is that item's answer: 503 with a
/// reason, while the others keep theirs; anything else still fails the call.
/// </summary>
public sealed class BatchItemAnswerTests
{
    public static TheoryData<Exception> Unanswered => new()
    {
        new TimeoutException("The grain call timed out."),
        new Orleans.Runtime.OrleansException("The silo is gone."),
        new Orleans.Storage.InconsistentStateException("The stored version moved."),
    };

    [Theory]
    [MemberData(nameof(Unanswered))]
    public async Task An_item_the_cluster_did_not_answer_is_refused_alone_with_503(Exception unanswered)
    {
        var answer = await BatchApi.Answered(7, () => Task.FromException<BatchItemResult>(unanswered));

        Assert.Equal(7, answer.Index);
        Assert.Null(answer.Id);
        Assert.Equal(503, answer.Problem?.Status);
        Assert.Equal("temporarilyUnavailable", answer.Problem?.Reason);
    }

    [Fact]
    public async Task An_answered_item_keeps_its_answer_and_other_faults_are_not_hidden()
    {
        var id = Guid.NewGuid();
        Assert.Equal(id, (await BatchApi.Answered(0, () => Task.FromResult(new BatchItemResult(0, id, null)))).Id);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            BatchApi.Answered(1, () => Task.FromException<BatchItemResult>(new InvalidOperationException("A bug."))));
    }
}
