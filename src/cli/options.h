#ifndef LURE_OPTIONS_H
#define LURE_OPTIONS_H
#endif
