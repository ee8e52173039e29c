namespace Herald.Server.Secrets;

/// <summary>Sealed values kept in files rather than a table (the console's keys), sealed again by <see cref="Resealing"/>.</summary>
public interface ISealedFiles
{
    Task ResealAsync(SecretBox box, Resealing.Outcome outcome, CancellationToken cancellationToken);
}
