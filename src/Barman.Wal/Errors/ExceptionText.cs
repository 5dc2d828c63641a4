namespace Barman.Wal.Errors;

/// <summary>The one-line text shown for an exception after <c>EXCEPTION: </c>.</summary>
public static class ExceptionText
{
    /// <summary>The message, folded onto one line.</summary>
    public static string Of(Exception e)
    {
        var message = e is AggregateException { InnerExceptions.Count: 1 } aggregate
            ? aggregate.InnerExceptions[0].Message
            : e.Message;
        return message.ReplaceLineEndings(" ").Trim();
    }
}
