using System.Text;

namespace CitizenCrm.Server.Phone;

/// <summary>
/// A TwiML answer: HTTP 200, application/xml (Twilio plays its own English error on anything else), with a
/// Content-Length. Twilio may truncate a chunked reply (error 12100, "Document parse failure":
/// https://www.twilio.com/docs/api/errors/12100), so the whole document is encoded first and sent in one piece.
/// </summary>
public sealed class TwimlResult(string xml) : IResult
{
    public string Xml { get; } = xml;

    public Task ExecuteAsync(HttpContext http)
    {
        var bytes = Encoding.UTF8.GetBytes(Xml);
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/xml; charset=utf-8";
        http.Response.ContentLength = bytes.Length;
        return http.Response.Body.WriteAsync(bytes, http.RequestAborted).AsTask();
    }
}
