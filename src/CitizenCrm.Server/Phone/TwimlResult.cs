namespace CitizenCrm.Server.Phone;

/// <summary>A TwiML answer: HTTP 200, application/xml (Twilio plays its own English error on anything else).</summary>
public sealed class TwimlResult(string xml) : IResult
{
    public string Xml { get; } = xml;

    public Task ExecuteAsync(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/xml; charset=utf-8";
        return http.Response.WriteAsync(Xml, http.RequestAborted);
    }
}
