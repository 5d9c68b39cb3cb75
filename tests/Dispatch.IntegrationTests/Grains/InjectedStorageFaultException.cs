using Orleans.Storage;

namespace Dispatch.IntegrationTests.Grains;

/// <summary>
/// The write failure the test storages inject, of its own type so that a test can tell it from any
/// other failure (a bug, a timeout). It is an <see cref="InconsistentStateException"/>, as a lost
/// optimistic-concurrency race in a real store is, so the runtime treats it as it would that one.
/// It crosses grain calls as itself: without its own serializer Orleans fails to send it, and the
/// caller gets a CodecNotFoundException instead, which the old "any exception" tests accepted.
/// </summary>
[GenerateSerializer]
public sealed class InjectedStorageFaultException(string message) : InconsistentStateException(message)
{
    public const string Marker = "Injected failure of a write";

    public static string MessageFor(string stateName, GrainId grainId) => $"{Marker} of '{stateName}' by {grainId}.";
}

/// <summary>
/// A write that failed because the store could not be reached (a dropped connection, a timeout):
/// unlike <see cref="InjectedStorageFaultException"/> it is no <see cref="InconsistentStateException"/>,
/// so the runtime keeps the activation, and only the grain's own handling drops it.
/// </summary>
[GenerateSerializer]
public sealed class InjectedStorageOutageException(string message) : Exception(message);
