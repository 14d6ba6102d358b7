namespace Cllama.Ledger;

/// <summary>
/// An entry could not be made durable (disk full, I/O error). Deliberately not an <see cref="IOException"/>: the
/// HTTP server treats those as a vanished client, while this one must be logged, and the response it belongs to
/// aborted so the client never sees it complete.
/// </summary>
public sealed class LedgerWriteException(string message, Exception inner) : Exception(message, inner);
