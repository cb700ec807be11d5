/// Namespace and action URIs used on the WS-Management wire with Intel AMT.
public enum WSManNamespace {
    /// SOAP 1.2 envelope.
    public static let soapEnvelope = "http://www.w3.org/2003/05/soap-envelope"
    /// WS-Addressing (2004/08).
    public static let addressing = "http://schemas.xmlsoap.org/ws/2004/08/addressing"
    /// WS-Management.
    public static let wsman = "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd"
    /// WS-Enumeration.
    public static let enumeration = "http://schemas.xmlsoap.org/ws/2004/09/enumeration"
    /// WS-Transfer.
    public static let transfer = "http://schemas.xmlsoap.org/ws/2004/09/transfer"
    /// XML Schema instance.
    public static let xsi = "http://www.w3.org/2001/XMLSchema-instance"
    /// XML Schema.
    public static let xsd = "http://www.w3.org/2001/XMLSchema"
    /// The anonymous reply-to role.
    public static let anonymousRole = "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous"
    /// Base of DMTF CIM class resource URIs.
    public static let cimSchema = "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/"
    /// Base of Intel AMT class resource URIs.
    public static let amtSchema = "http://intel.com/wbem/wscim/1/amt-schema/1/"
    /// Base of Intel IPS class resource URIs.
    public static let ipsSchema = "http://intel.com/wbem/wscim/1/ips-schema/1/"
}

/// Action URIs of the generic WS-Transfer / WS-Enumeration operations.
public enum WSManAction {
    /// WS-Transfer Get.
    public static let get = "http://schemas.xmlsoap.org/ws/2004/09/transfer/Get"
    /// WS-Transfer Put.
    public static let put = "http://schemas.xmlsoap.org/ws/2004/09/transfer/Put"
    /// WS-Transfer Create.
    public static let create = "http://schemas.xmlsoap.org/ws/2004/09/transfer/Create"
    /// WS-Transfer Delete.
    public static let delete = "http://schemas.xmlsoap.org/ws/2004/09/transfer/Delete"
    /// WS-Enumeration Enumerate.
    public static let enumerate = "http://schemas.xmlsoap.org/ws/2004/09/enumeration/Enumerate"
    /// WS-Enumeration Pull.
    public static let pull = "http://schemas.xmlsoap.org/ws/2004/09/enumeration/Pull"
    /// WS-Addressing fault action.
    public static let addressingFault = "http://schemas.xmlsoap.org/ws/2004/08/addressing/fault"
    /// WS-Management fault action.
    public static let wsmanFault = "http://schemas.dmtf.org/wbem/wsman/1/wsman/fault"

    /// The response action for a request action (`…/Get` → `…/GetResponse`).
    public static func response(for action: String) -> String { action + "Response" }
}
