using Azure.Core;
using Azure.Core.Pipeline;

namespace Pipeline.Reporting.Storage;

/// <summary>
/// Leaves a query's response unbuffered (<see cref="HttpMessage.BufferResponse"/>): the table client parses it straight
/// from the connection into a pooled buffer. Buffered, the pipeline first copies every response into a memory stream grown
/// by doubling, and a rollup's pages (about half a megabyte of rows each) make arrays on the large-object heap, garbage
/// only a full collection takes back, a hundred and more times a build. The network timeout still applies to each read.
/// For the rollup's read of a day's rows only (<see cref="StorageTables.ReportsWithoutMetadata"/>), whose responses the
/// client reads whole as soon as they come.
/// </summary>
public sealed class UnbufferedResponsePolicy : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        if (message.Request.Method == RequestMethod.Get)
        {
            message.BufferResponse = false;
        }
    }
}
