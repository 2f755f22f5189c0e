/*
 * Types for the few platform-SDK modules kaa imports by path (its ES module sources: only the API classes kaa calls
 * are bundled into kaa.js, not all of them). They are the package's own declarations.
 */
declare module 'purecloud-platform-client-v2/src/purecloud-platform-client-v2/ApiClient.js' {
  import platformClient from 'purecloud-platform-client-v2';
  const ApiClient: typeof platformClient.ApiClientClass;
  export default ApiClient;
}
declare module 'purecloud-platform-client-v2/src/purecloud-platform-client-v2/AbstractHttpClient.js' {
  import platformClient from 'purecloud-platform-client-v2';
  const AbstractHttpClient: typeof platformClient.AbstractHttpClient;
  export default AbstractHttpClient;
}
declare module 'purecloud-platform-client-v2/src/purecloud-platform-client-v2/api/OAuthApi.js' {
  import platformClient from 'purecloud-platform-client-v2';
  const OAuthApi: typeof platformClient.OAuthApi;
  export default OAuthApi;
}
declare module 'purecloud-platform-client-v2/src/purecloud-platform-client-v2/api/IntegrationsApi.js' {
  import platformClient from 'purecloud-platform-client-v2';
  const IntegrationsApi: typeof platformClient.IntegrationsApi;
  export default IntegrationsApi;
}
declare module 'purecloud-platform-client-v2/src/purecloud-platform-client-v2/api/AuthorizationApi.js' {
  import platformClient from 'purecloud-platform-client-v2';
  const AuthorizationApi: typeof platformClient.AuthorizationApi;
  export default AuthorizationApi;
}
declare module 'purecloud-platform-client-v2/src/purecloud-platform-client-v2/api/GroupsApi.js' {
  import platformClient from 'purecloud-platform-client-v2';
  const GroupsApi: typeof platformClient.GroupsApi;
  export default GroupsApi;
}
declare module 'purecloud-platform-client-v2/src/purecloud-platform-client-v2/api/RoutingApi.js' {
  import platformClient from 'purecloud-platform-client-v2';
  const RoutingApi: typeof platformClient.RoutingApi;
  export default RoutingApi;
}
declare module 'purecloud-platform-client-v2/src/purecloud-platform-client-v2/api/UsersApi.js' {
  import platformClient from 'purecloud-platform-client-v2';
  const UsersApi: typeof platformClient.UsersApi;
  export default UsersApi;
}
declare module 'purecloud-platform-client-v2/src/purecloud-platform-client-v2/api/ArchitectApi.js' {
  import platformClient from 'purecloud-platform-client-v2';
  const ArchitectApi: typeof platformClient.ArchitectApi;
  export default ArchitectApi;
}
