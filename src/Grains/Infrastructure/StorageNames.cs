namespace Dispatch;

/// <summary>Names of the grain storage providers the grains use; the silo configures them.</summary>
public static class StorageNames
{
    public const string Dispatch = "Dispatch";
}
