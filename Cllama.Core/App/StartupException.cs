namespace Cllama.App;

/// <summary>A problem that stops start-up (bad file, port in use); the message names the file or address.</summary>
public sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);
