namespace Dispatch.IntegrationTests.Cluster;

/// <summary>
/// Tests that run several Dispatch processes in one cluster: they run one at a time, after the
/// parallel collections, so that no other test competes for the cores while they measure how long
/// a failover takes.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterProcesses
{
    public const string Name = "Cluster processes";
}
