// The packages of the interpreter see each other, as Go's text/template sees its parse package, fmt and reflect.
global using DurableWorkflows.GoTemplates.Exec;
global using DurableWorkflows.GoTemplates.Fmt;
global using DurableWorkflows.GoTemplates.Funcs;
global using DurableWorkflows.GoTemplates.Parse;
global using DurableWorkflows.GoTemplates.Reflect;
